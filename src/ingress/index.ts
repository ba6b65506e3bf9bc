export * from './tke-service-config-binding';
export * from './props';
export * from './loopback-safe-ingress';
