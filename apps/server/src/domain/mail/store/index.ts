// The mail store: folders, delivery, messages, search. See docs/ARCHITECTURE.md "Mail store".

export { DeliveryBatcher, type DeliveryBatcherOptions } from './batcher.ts';
export { decodeCursor, encodeCursor, type Keyset } from './cursor.ts';
export {
  type Delivery,
  type DeliveryTarget,
  EXCERPT_CHARS,
  makeExcerpt,
  messageSearchVector,
  type StoreMessageInput,
  type StoreMessageResult,
  type StoreOutcome,
  storeMessage,
  storeMessages,
} from './deliver.ts';
export {
  createFolder,
  createSystemFolders,
  DEFAULT_QUOTA_BYTES,
  deleteFolder,
  type FolderView,
  folderIdByRole,
  getFolder,
  listFolders,
  renameFolder,
  SYSTEM_FOLDERS,
} from './folders.ts';
export {
  deleteMessages,
  getMessage,
  getQuota,
  getThread,
  listMessages,
  type MessageDetail,
  type MessageSummary,
  moveMessages,
  type Page,
  purgeEntries,
  type QuotaView,
  setFlags,
  setQuota,
} from './messages.ts';
export {
  findLocalRecipient,
  findRecipientWithQuota,
  isLocalDomain,
  LocalDomains,
  type LocalRecipient,
  RecipientLookup,
  type RecipientWithQuota,
} from './recipients.ts';
export { RELEVANCE_WINDOW, type SearchOptions, searchMessages } from './search.ts';
export * from './types.ts';
