/** Key files (DER or PEM) above this size are refused before parsing. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;
