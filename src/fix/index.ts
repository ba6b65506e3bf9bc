export * from './types';
export * from './fixer';
