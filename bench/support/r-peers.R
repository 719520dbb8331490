# R's forecast package as a benchmark peer: fits every (window, model) row of the input CSV and writes the point
# forecast, the upper bound of the 80% interval (the p90) and the fit + forecast time. Called by r-peers.ts:
#   Rscript r-peers.R INPUT.csv OUTPUT.csv CORES
# Input columns: key, model (stlf | ets | arima | tbats), horizon, periods (";"-joined), values (";"-joined, NA for gaps).
suppressPackageStartupMessages({
  library(forecast)
  library(parallel)
})
args <- commandArgs(trailingOnly = TRUE)
windows <- read.csv(args[1], colClasses = "character")
cores <- as.integer(args[3])

fit <- function(i) {
  row <- windows[i, ]
  horizon <- as.integer(row$horizon)
  periods <- as.numeric(strsplit(row$periods, ";")[[1]])
  values <- as.numeric(strsplit(row$values, ";")[[1]])
  started <- proc.time()[["elapsed"]]
  result <- tryCatch({
    # Gaps are interpolated the way the package recommends before fitting.
    single <- na.interp(ts(values, frequency = periods[1]))
    multiple <- if (length(periods) > 1) msts(as.numeric(single), seasonal.periods = periods) else single
    switch(row$model,
      stlf = stlf(multiple, h = horizon, level = 80),
      ets = forecast(ets(single), h = horizon, level = 80),
      arima = forecast(auto.arima(single), h = horizon, level = 80),
      tbats = forecast(tbats(multiple), h = horizon, level = 80))
  }, error = function(e) NULL)
  ms <- (proc.time()[["elapsed"]] - started) * 1000
  if (is.null(result)) return(data.frame(key = row$key, model = row$model, ms = ms, point = "", upper = ""))
  data.frame(key = row$key, model = row$model, ms = ms,
             point = paste(as.numeric(result$mean), collapse = ";"),
             upper = paste(as.numeric(result$upper[, 1]), collapse = ";"))
}

rows <- mclapply(seq_len(nrow(windows)), fit, mc.cores = cores, mc.preschedule = FALSE)
write.csv(do.call(rbind, rows), args[2], row.names = FALSE)
