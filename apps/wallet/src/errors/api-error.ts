// Refusals from the issuer arrive as RFC 9457 problem+json with a stable `code` (or as an OAuth
// `error`); they become ApiError, which the screens show in the holder's language.
export {
  ApiError,
  apiErrorOf,
  BadResponseError,
  NetworkError,
  type ProblemDetails,
  problemDetails,
} from '@gongjik/web-kit/api-error';
