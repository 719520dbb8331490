/**
 * Latency of a request-driven service as an M/M/c queue: Poisson arrivals at rate lambda, c identical servers
 * each serving at rate mu (exponential service times), one first-come-first-served queue. Formulas from
 * L. Kleinrock, Queueing Systems, Vol. 1: Theory (Wiley, 1975), section 3.5, and M. Harchol-Balter, Performance
 * Modeling and Design of Computer Systems (Cambridge, 2013), ch. 14 ("the M/M/k"):
 * - the probability that a request waits is Erlang C, C(c, a) with a = lambda / mu offered load;
 * - the wait W is 0 with probability 1 - C and otherwise exponential with rate c mu - lambda, so
 *   P(W > t) = C e^{-(c mu - lambda) t};
 * - the response time is T = W + S with S ~ Exp(mu) independent of W.
 * A task with `concurrency` workers (threads, event-loop slots) is that many servers; an ALB routing by least
 * outstanding requests keeps the tasks' queues close to one pooled queue, which is what M/M/c assumes (round
 * robin over separate queues would wait longer).
 */

/** Erlang C: the probability that an arriving request waits, for c servers and offered load a < c (Erlangs). */
export function erlangC(servers: number, offeredLoad: number): number {
  if (!(Number.isInteger(servers) && servers >= 1)) throw new RangeError(`servers must be a whole number >= 1, got ${servers}`);
  if (!(offeredLoad >= 0)) throw new RangeError(`offeredLoad must be >= 0, got ${offeredLoad}`);
  if (offeredLoad >= servers) return 1;
  if (offeredLoad === 0) return 0;
  // Erlang B by its stable recursion B(k) = a B(k-1) / (k + a B(k-1)), then C = B / (1 - rho (1 - B)).
  let blocking = 1;
  for (let k = 1; k <= servers; k++) blocking = (offeredLoad * blocking) / (k + offeredLoad * blocking);
  const rho = offeredLoad / servers;
  return blocking / (1 - rho * (1 - blocking));
}

/** The response-time distribution of a stable M/M/c queue (lambda < c mu). */
export interface ResponseTimes {
  /** P(T > t), t in seconds. */
  exceedance(seconds: number): number;
  /** The response time (seconds) that a share `quantile` of requests do not exceed. */
  quantile(quantile: number): number;
}

export function responseTimes(servers: number, arrivalRate: number, serviceRate: number): ResponseTimes {
  if (!(arrivalRate < servers * serviceRate))
    throw new RangeError(`the queue is unstable: ${arrivalRate} requests/s against a capacity of ${servers * serviceRate}`);
  const waitProbability = erlangC(servers, arrivalRate / serviceRate);
  const drain = servers * serviceRate - arrivalRate; // the waiting time's exponential rate
  const exceedance = (seconds: number) => {
    const serviceTail = Math.exp(-serviceRate * seconds);
    // P(Exp(drain) + Exp(mu) > t), the convolution of two exponentials (Erlang-2 when the rates are equal).
    const waitedTail =
      Math.abs(drain - serviceRate) < 1e-9 * serviceRate
        ? serviceTail * (1 + serviceRate * seconds)
        : (drain * serviceTail - serviceRate * Math.exp(-drain * seconds)) / (drain - serviceRate);
    return (1 - waitProbability) * serviceTail + waitProbability * waitedTail;
  };
  return {
    exceedance,
    quantile(quantile) {
      const tail = 1 - quantile;
      let high = 1 / serviceRate;
      while (exceedance(high) > tail) high *= 2;
      let low = 0;
      // Bisection to a relative precision of about 1e-9 of the bracket.
      for (let step = 0; step < 32; step++) {
        const middle = (low + high) / 2;
        if (exceedance(middle) > tail) low = middle;
        else high = middle;
      }
      return high;
    },
  };
}
