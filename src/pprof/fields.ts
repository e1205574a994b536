// The field numbers the streaming writer and reader use (to-pprof.ts, from-pprof.ts) with
// @bufbuild/protobuf's BinaryWriter and BinaryReader, generated from profile.proto's descriptors
// (gen/profile_fields.ts): the writer writes CompactProfile's types, the reader reads Profile's,
// and both have the same numbers.
export {
  CompactLineFields as LINE,
  CompactLocationFields as LOCATION,
  CompactProfileFields as PROFILE,
  CompactSampleFields as SAMPLE,
  FunctionFields as FUNCTION,
  JeprofTotalFields as TOTAL,
  LabelFields as LABEL,
  MappingFields as MAPPING,
  ValueTypeFields as VALUE_TYPE,
} from './gen/profile_fields.js';
