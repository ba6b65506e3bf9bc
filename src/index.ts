export * from './tke';
export * from './checks';
