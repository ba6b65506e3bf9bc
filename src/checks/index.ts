export * from './types';
export * from './checker';
export * from './validation-plugin';
