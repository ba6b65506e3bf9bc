export * from './tke';
export * from './checks';
export * from './tke-service-config-binding';
export * from './loopback-safe-ingress';
