export { type CostLine, type CostReport, monthlyCost, type WorkloadCost } from './monthly-cost.ts';
export { HOURS_PER_MONTH, PRICES, type Prices } from './prices.ts';
export { backlogPublisherFootprint, consumerKitFootprint, predictorFootprint, type ProducerFootprint } from './producers.ts';
export { type CloudFormationTemplate, FOOTPRINT_METADATA_KEY, SHARED_WORKLOAD, type TemplateFootprint } from './template-footprint.ts';
