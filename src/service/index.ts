export * from './props';
export * from './loopback-safe-service';
export * from './loopback-strategy';
export * from './prevent-loopback';
