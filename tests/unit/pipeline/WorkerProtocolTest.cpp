//===- WorkerProtocolTest.cpp - Frames between the run and its workers ----===//
//
// Every payload of WorkerProtocol.h decodes to what was encoded (a TU's
// result field by field, so a worker's TU is stored as the run's own would
// be), truncated payloads are refused, and frames cross a socket intact,
// one after another, with EOF and deadlines reported as such.
//
//===----------------------------------------------------------------------===//

#include "pipeline/WorkerProtocol.h"

#include "gtest/gtest.h"

#include <csignal>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace codeindex::worker {
namespace {

TuResult sampleResult() {
  TuResult R;
  R.Record.Key = 0x1122334455667788ULL;
  R.Record.MainFile = "src/a.cpp";
  R.Record.Directory = "/work/build";
  R.Record.CommandHash = 42;
  R.Record.Variant = 7;
  R.Record.Status = TuStatus::Errors;
  R.Record.FailureReason = "";
  R.Record.Inputs = {{"/work/src/a.cpp", 1}, {"/work/src/a.h", 2}};
  R.Record.OwnedUnits = {{3, 7}, {4, 7}};
  R.Record.Diagnostics = {{"src/a.cpp", 3, 9, Severity::Error, "bad"},
                          {"", 0, 0, Severity::Warning, "w"}};
  UnitFacts U;
  U.Key = {3, 7};
  U.File.Path = "src/a.cpp";
  U.File.Lang = Language::Cxx;
  U.File.Role = FileRole::Test;
  U.File.ContentHash = 99;
  U.File.Lines = 12;
  U.File.Status = FileStatus::Indexed;
  U.File.TestReasons = {"path looks like a test", "defines TEST()"};
  U.File.Coverage = {12, 10, 1, 8};
  EntityFact E;
  E.ID = 0xabcdef;
  E.Usr = "c:@F@f#";
  E.Kind = EntityKind::Method;
  E.Name = "f";
  E.QualifiedName = "N::f";
  E.Signature = "int f(int) const";
  E.Lang = Language::Cxx;
  E.Acc = Access::Protected;
  E.Flags = flag::Const | flag::Virtual;
  E.Parent = 5;
  E.IsTest = true;
  E.TestName = "Suite.Name";
  E.TestFramework = "gtest";
  E.File = "src/a.cpp";
  E.ExternalLocation = {1, 2, 3, 4};
  E.Decls = {{{1, 1, 2, 2}, false}, {{5, 1, 9, 2}, true}};
  E.BodyHash = 1234;
  U.Entities.push_back(E);
  EntityFact X;
  X.ID = 77;
  X.Usr = "c:@F@ext#";
  X.External = true;
  X.File = "/usr/include/x.h";
  U.Entities.push_back(X);
  EdgeFact G;
  G.Kind = EdgeKind::Inherits;
  G.From = 1;
  G.To = 2;
  G.Acc = Access::Private;
  G.Virtual = true;
  G.Sites = {{3, 4, true, false}, {5, 6, false, true}};
  U.Edges.push_back(G);
  R.Units.push_back(U);
  UnitFacts Empty;
  Empty.Key = {4, 7};
  Empty.File.Path = "src/a.h";
  R.Units.push_back(Empty);
  R.ParseSeconds = 0.125;
  R.ExtractSeconds = 3.5e-3;
  return R;
}

TEST(WorkerProtocol, ResultRoundTrip) {
  TuResult In = sampleResult();
  std::vector<std::string> Usrs = {"c:@F@f#", "macro:a.h@M#0"};
  std::string Bytes = encodeResult(In, Usrs);
  TuResult Out;
  std::vector<std::string> OutUsrs;
  ASSERT_TRUE(decodeResult(Bytes, Out, OutUsrs));
  EXPECT_EQ(OutUsrs, Usrs);
  const TuRecord &A = In.Record, &B = Out.Record;
  EXPECT_EQ(B.Key, A.Key);
  EXPECT_EQ(B.MainFile, A.MainFile);
  EXPECT_EQ(B.Directory, A.Directory);
  EXPECT_EQ(B.CommandHash, A.CommandHash);
  EXPECT_EQ(B.Variant, A.Variant);
  EXPECT_EQ(B.Status, A.Status);
  EXPECT_EQ(B.Inputs, A.Inputs);
  EXPECT_EQ(B.OwnedUnits, A.OwnedUnits);
  ASSERT_EQ(B.Diagnostics.size(), 2u);
  EXPECT_EQ(B.Diagnostics[0].File, "src/a.cpp");
  EXPECT_EQ(B.Diagnostics[0].Line, 3u);
  EXPECT_EQ(B.Diagnostics[0].Column, 9u);
  EXPECT_EQ(B.Diagnostics[0].Message, "bad");
  EXPECT_EQ(B.Diagnostics[1].Sev, Severity::Warning);
  EXPECT_EQ(Out.ParseSeconds, In.ParseSeconds);
  EXPECT_EQ(Out.ExtractSeconds, In.ExtractSeconds);
  ASSERT_EQ(Out.Units.size(), 2u);
  const UnitFacts &U = Out.Units[0], &V = In.Units[0];
  EXPECT_EQ(U.Key, V.Key);
  EXPECT_EQ(U.File.Path, V.File.Path);
  EXPECT_EQ(U.File.Lang, V.File.Lang);
  EXPECT_EQ(U.File.Role, V.File.Role);
  EXPECT_EQ(U.File.ContentHash, V.File.ContentHash);
  EXPECT_EQ(U.File.Lines, V.File.Lines);
  EXPECT_EQ(U.File.Status, V.File.Status);
  EXPECT_EQ(U.File.TestReasons, V.File.TestReasons);
  EXPECT_EQ(U.File.Coverage.EntityLines, 8u);
  EXPECT_EQ(U.File.Coverage.CommentLines, 1u);
  ASSERT_EQ(U.Entities.size(), 2u);
  const EntityFact &E = U.Entities[0], &F = V.Entities[0];
  EXPECT_EQ(E.ID, F.ID);
  EXPECT_EQ(E.Usr, F.Usr);
  EXPECT_EQ(E.Kind, F.Kind);
  EXPECT_EQ(E.QualifiedName, F.QualifiedName);
  EXPECT_EQ(E.Signature, F.Signature);
  EXPECT_EQ(E.Acc, F.Acc);
  EXPECT_EQ(E.Flags, F.Flags);
  EXPECT_EQ(E.Parent, F.Parent);
  EXPECT_EQ(E.IsTest, true);
  EXPECT_EQ(E.TestName, "Suite.Name");
  EXPECT_EQ(E.TestFramework, "gtest");
  EXPECT_EQ(E.ExternalLocation, F.ExternalLocation);
  EXPECT_EQ(E.Decls, F.Decls);
  EXPECT_EQ(E.BodyHash, F.BodyHash);
  EXPECT_TRUE(U.Entities[1].External);
  EXPECT_EQ(U.Entities[1].File, "/usr/include/x.h");
  ASSERT_EQ(U.Edges.size(), 1u);
  EXPECT_EQ(U.Edges[0].Kind, EdgeKind::Inherits);
  EXPECT_EQ(U.Edges[0].From, 1u);
  EXPECT_EQ(U.Edges[0].To, 2u);
  EXPECT_EQ(U.Edges[0].Acc, Access::Private);
  EXPECT_TRUE(U.Edges[0].Virtual);
  EXPECT_EQ(U.Edges[0].Sites, V.Edges[0].Sites);
  EXPECT_EQ(Out.Units[1].File.Path, "src/a.h");
  EXPECT_TRUE(Out.Units[1].Entities.empty());
}

TEST(WorkerProtocol, TruncatedPayloadsAreRefused) {
  std::string Bytes = encodeResult(sampleResult(), {"u"});
  for (size_t N = 0; N < Bytes.size(); ++N) {
    TuResult Out;
    std::vector<std::string> Usrs;
    EXPECT_FALSE(decodeResult(Bytes.substr(0, N), Out, Usrs)) << N;
  }
  std::string Tu = encodeTuInput(TuInput());
  TuInput T;
  EXPECT_FALSE(decodeTuInput(Tu.substr(0, Tu.size() - 1), T));
  EXPECT_FALSE(decodeTuInput(Tu + "x", T));
}

TEST(WorkerProtocol, InputsSetupAndClaimsRoundTrip) {
  TuInput In;
  In.Key = 5;
  In.Index = 3;
  In.MainFile = "/p/a.cpp";
  In.Directory = "/p/build";
  In.Args = {"clang++", "-std=c++17", "", "-DX=\"a b\""};
  In.CommandHash = 9;
  In.Variant = 11;
  In.Lang = Language::C;
  TuInput T;
  ASSERT_TRUE(decodeTuInput(encodeTuInput(In), T));
  EXPECT_EQ(T.Key, 5u);
  EXPECT_EQ(T.Index, 3u);
  EXPECT_EQ(T.MainFile, In.MainFile);
  EXPECT_EQ(T.Directory, In.Directory);
  EXPECT_EQ(T.Args, In.Args);
  EXPECT_EQ(T.CommandHash, 9u);
  EXPECT_EQ(T.Variant, 11u);
  EXPECT_EQ(T.Lang, Language::C);

  WorkerSetup S;
  S.Root = "/p";
  S.BuildDir = "/p/build";
  S.IndexSystem = true;
  S.TestHeuristics = false;
  S.IndexInstantiations = true;
  S.TuTimeoutSeconds = 30;
  S.Exclude = {"third_party/*"};
  S.TestFiles = {"t/*.cc", "x"};
  S.TuMemoryMB = 512;
  WorkerSetup S2;
  ASSERT_TRUE(decodeSetup(encodeSetup(S), S2));
  EXPECT_EQ(S2.Root, "/p");
  EXPECT_EQ(S2.BuildDir, "/p/build");
  EXPECT_TRUE(S2.IndexSystem);
  EXPECT_FALSE(S2.ExcludeTests);
  EXPECT_FALSE(S2.TestHeuristics);
  EXPECT_TRUE(S2.DedupHeaders);
  EXPECT_TRUE(S2.IndexInstantiations);
  EXPECT_EQ(S2.TuTimeoutSeconds, 30u);
  EXPECT_EQ(S2.Exclude, S.Exclude);
  EXPECT_EQ(S2.TestFiles, S.TestFiles);
  EXPECT_EQ(S2.TuMemoryMB, 512u);

  UnitKey U;
  Id Tu = 0, Owner = 0;
  ASSERT_TRUE(decodeClaim(encodeClaim({1, 2}, 3), U, Tu));
  EXPECT_EQ(U, (UnitKey{1, 2}));
  EXPECT_EQ(Tu, 3u);
  ASSERT_TRUE(decodeClaimReply(encodeClaimReply(~0ULL), Owner));
  EXPECT_EQ(Owner, ~0ULL);
}

TEST(WorkerProtocol, FramesCrossASocket) {
  int SV[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, SV), 0);
  std::string Big(200000, 'x'); // more than a socket buffer: written in parts
  Big[12345] = '\0';
  std::thread Writer([&] {
    EXPECT_TRUE(writeFrame(SV[0], FrameType::Claim, "abc"));
    EXPECT_TRUE(writeFrame(SV[0], FrameType::Result, Big));
    EXPECT_TRUE(writeFrame(SV[0], FrameType::Tu, ""));
    close(SV[0]);
  });
  Frame F;
  ASSERT_EQ(readFrame(SV[1], F), ReadStatus::Ok);
  EXPECT_EQ(F.Type, FrameType::Claim);
  EXPECT_EQ(F.Payload, "abc");
  ASSERT_EQ(readFrame(SV[1], F), ReadStatus::Ok);
  EXPECT_EQ(F.Type, FrameType::Result);
  EXPECT_EQ(F.Payload, Big);
  ASSERT_EQ(readFrame(SV[1], F), ReadStatus::Ok);
  EXPECT_EQ(F.Type, FrameType::Tu);
  EXPECT_EQ(F.Payload, "");
  Writer.join();
  EXPECT_EQ(readFrame(SV[1], F), ReadStatus::Eof);
  close(SV[1]);
}

TEST(WorkerProtocol, DeadlinesAndDeadPeers) {
  int SV[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, SV), 0);
  Frame F;
  auto Soon = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  EXPECT_EQ(readFrame(SV[1], F, Soon), ReadStatus::Timeout);
  // A frame header claiming more than MaxFrameBytes is an error, not an
  // allocation.
  const char Huge[] = {'\x7f', '\x7f', '\x7f', '\x7f', '\x05'};
  ASSERT_EQ(write(SV[0], Huge, sizeof Huge), 5);
  EXPECT_EQ(readFrame(SV[1], F), ReadStatus::Error);
  close(SV[1]);
  // Writing to a closed peer fails instead of raising SIGPIPE.
  EXPECT_FALSE(writeFrame(SV[0], FrameType::Tu, "x"));
  close(SV[0]);
}

TEST(WorkerProtocol, SignalNames) {
  EXPECT_EQ(signalName(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(signalName(SIGABRT), "SIGABRT");
  EXPECT_EQ(signalName(SIGKILL), "SIGKILL");
  EXPECT_EQ(signalName(SIGILL), "SIGILL");
}

} // namespace
} // namespace codeindex::worker
