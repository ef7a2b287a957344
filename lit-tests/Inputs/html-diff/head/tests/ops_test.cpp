#include "../ops.h"
#include <gtest/gtest.h>
TEST(Ops, Less) { EXPECT_TRUE(P{1} < P{2}); }
TEST(Ops, Km) { EXPECT_GT(2.0_km, 1); }
