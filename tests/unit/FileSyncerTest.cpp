#include "record/FileSyncer.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

#include "WebmReadback.hpp"
#include "record/WebmWriter.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("aerie-sync-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

bool isOpen(int fd) { return ::fcntl(fd, F_GETFD) != -1 || errno != EBADF; }

TEST(FileSyncerTest, SyncsAndClosesWhatItIsHanded) {
  TempDir dir;
  FileSyncer syncer;
  int fds[3];
  for (int& fd : fds) {
    fd = ::open((dir.path / ("f" + std::to_string(&fd - fds))).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, "abc", 3), 3);
  }
  for (int fd : fds) syncer.hand(fd, "f");
  syncer.drain();
  EXPECT_EQ(syncer.synced(), 3u);
  EXPECT_EQ(syncer.failed(), 0u);
  // Closed by the syncer (the numbers are free: nothing else in this test opens files).
  for (int fd : fds) EXPECT_FALSE(isOpen(fd));
}

TEST(FileSyncerTest, AFileThatCannotBeSyncedIsCountedAndClosed) {
  int pipe[2];
  ASSERT_EQ(::pipe2(pipe, O_CLOEXEC), 0);
  FileSyncer syncer;
  syncer.hand(pipe[1], "a pipe");  // fdatasync on a pipe: EINVAL
  syncer.drain();
  EXPECT_EQ(syncer.failed(), 1u);
  EXPECT_FALSE(isOpen(pipe[1]));
  ::close(pipe[0]);
}

TEST(FileSyncerTest, ADestroyedSyncerFinishesItsQueue) {
  TempDir dir;
  int fd = ::open((dir.path / "late").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  {
    FileSyncer syncer;
    syncer.hand(fd, "late");
  }
  EXPECT_FALSE(isOpen(fd));
}

// A WebM file closed through a syncer reads back whole as soon as close() returns: its bytes
// are in the kernel before the sync.
TEST(FileSyncerTest, AWebmFileClosedThroughItIsCompleteAtOnce) {
  TempDir dir;
  const std::string file = (dir.path / "a.webm").string();
  FileSyncer syncer;
  WebmWriter w;
  ASSERT_TRUE(w.open(file, {true, 320, 240, true, 2, 48000}));
  std::vector<std::uint8_t> frame(300, 5);
  for (int ms = 0; ms <= 2000; ms += 20) {
    ASSERT_TRUE(w.write(WebmWriter::kAudioTrack, ms, true, std::span(frame.data(), 40)));
    if (ms % 40 == 0) {
      ASSERT_TRUE(w.write(WebmWriter::kVideoTrack, ms, ms % 1000 == 0, frame));
    }
  }
  ASSERT_TRUE(w.close(20, &syncer));
  EXPECT_FALSE(w.isOpen());
  auto r = test::WebmReadback::read(file);
  ASSERT_TRUE(r.parsed);
  ASSERT_TRUE(r.durationMs);
  EXPECT_DOUBLE_EQ(*r.durationMs, 2020);
  EXPECT_EQ(r.of(WebmWriter::kVideoTrack).size(), 51u);
  syncer.drain();
  EXPECT_EQ(syncer.synced(), 1u);
}

}  // namespace
}  // namespace aerie
