import { defineErrors } from '../spec.ts';

export const cliErrors = defineErrors({
  ERR_CLI_USAGE: {
    status: 400,
    title: 'Command-line usage error',
    ko: '명령 사용법이 올바르지 않습니다: {problem}',
    en: 'The command was not used correctly: {problem}',
  },
  ERR_CLI_UNKNOWN_COMMAND: {
    status: 400,
    title: 'Unknown command',
    ko: '알 수 없는 명령입니다: {command}. gongjik --help 로 명령 목록을 확인하십시오.',
    en: 'Unknown command: {command}. Run gongjik --help for the list of commands.',
  },
  ERR_CLI_FILE_NOT_FOUND: {
    status: 404,
    title: 'File not found',
    ko: '파일 또는 폴더를 찾을 수 없습니다: {path}',
    en: 'File or folder not found: {path}',
  },
  ERR_CLI_SERVER_UNREACHABLE: {
    status: 503,
    title: 'Server unreachable',
    ko: '서버에 연결할 수 없습니다: {server}. 서버가 실행 중인지(gongjik start) 확인하십시오.',
    en: 'Cannot reach the server at {server}. Is it running (gongjik start)?',
  },
});
