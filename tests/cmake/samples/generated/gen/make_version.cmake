file(WRITE "${OUT}" [[
#ifndef GENERATED_VERSION_H
#define GENERATED_VERSION_H
namespace build_info {
struct Version {
  int Major;
  int Minor;
};
Version currentVersion();
} // namespace build_info
#endif
]])
