export * from './tke';
export * from './checks';
export * from './tke-service-config-binding';
export * from './loopback-safe-ingress';
export * from './loopback-safe-service';
export * from './loopback-strategy';
export * from './prevent-loopback';
