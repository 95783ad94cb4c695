/**
 * Schedule files (YAML or JSON) and definitions given in code: read, validated with every problem
 * located (`file:line:column`), turned into job definitions.
 */
export {
  loadScheduleFile,
  loadScheduleFiles,
  loadScheduleDefinitions,
  type ScheduleLoad,
  type ScheduleLoadOptions,
  type DefinitionsLoadOptions,
} from "./load.ts";
export { BLOCK_KEYS, JOB_KEYS, SCHEDULE_KEYS, OPTION_KEYS, type KeySet } from "./keys.ts";
