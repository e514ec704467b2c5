using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

/// <summary>The test image is built from the mirror apt uses; both source formats must be read right.</summary>
public sealed class AptMirrorTests
{
    [Fact]
    public void Deb822_sources_give_the_first_enabled_bookworm_deb_uri()
    {
        const string text = """
            Types: deb-src
            URIs: http://src.example/debian
            Suites: bookworm

            Types: deb
            # a comment
            URIs: http://mirror.example/debian
            Suites: bookworm bookworm-updates
            Components: main

            Types: deb
            URIs: http://security.example/debian-security
            Suites: bookworm-security
            """;
        Assert.Equal("http://mirror.example/debian", AptMirror.FromDeb822(text, "bookworm"));
        Assert.Null(AptMirror.FromDeb822(text, "trixie"));
        Assert.Null(AptMirror.FromDeb822("Types: deb\nEnabled: no\nURIs: http://x/\nSuites: bookworm\n", "bookworm"));
    }

    [Fact]
    public void One_line_sources_skip_options_and_other_suites()
    {
        const string text = "# deb http://old.example/debian bookworm main\ndeb http://security.example bookworm-security main\ndeb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main\n";
        Assert.Equal("http://mirror.example/debian", AptMirror.FromOneLine(text, "bookworm"));
    }
}
