#pragma once

// Where tests find ../shared/fixtures: LODESTONE_FIXTURES, else the folder beside the source tree.
// Tests that need the reference fixture call LODESTONE_REQUIRE_FIXTURE() first: it skips, saying why,
// when the fixture is absent.

#include <QtTest>

#include <cstdlib>
#include <string>
#include <sys/stat.h>

namespace lodestone::test {

inline std::string fixturesDir()
{
    if (const char *env = std::getenv("LODESTONE_FIXTURES"); env && *env)
        return env;
    return LODESTONE_FIXTURES_DEFAULT;
}

// ../shared/fixtures/clip-tiny, or "" when it is not there.
inline std::string clipTinyDir()
{
    const std::string dir = fixturesDir() + "/clip-tiny";
    struct stat st {};
    return ::stat((dir + "/README.md").c_str(), &st) == 0 ? dir : std::string();
}

} // namespace lodestone::test

#define LODESTONE_REQUIRE_FIXTURE(dirVariable)                                                               \
    const std::string dirVariable = lodestone::test::clipTinyDir();                                          \
    if (dirVariable.empty())                                                                                 \
        QSKIP(qPrintable(                                                                                    \
            QStringLiteral("reference fixture clip-tiny not found under %1 (set LODESTONE_FIXTURES)")        \
                .arg(QString::fromStdString(lodestone::test::fixturesDir()))));
