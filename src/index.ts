export * from './tke';
