export { SimStorage, type SimStorageOptions } from "./SimStorage.ts";
export { SimStorageFile } from "./SimStorageFile.ts";
export { SimStorageProvider } from "./SimStorageProvider.ts";
