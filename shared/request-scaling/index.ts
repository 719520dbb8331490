export { derivedRequestsPerTarget, fleetSloRatePerTask, serviceRateFromSloRate } from './fleet-rate.ts';
export { erlangC, responseTimes, type ResponseTimes } from './mmc.ts';
export { defaultFleetTasks, REQUEST_SCALING_DEFAULTS } from './reactive-defaults.ts';
