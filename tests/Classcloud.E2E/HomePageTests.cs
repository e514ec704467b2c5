namespace Classcloud.E2E;

public sealed class HomePageTests
{
    [Fact]
    public void Placeholder_until_browser_fixture() => Assert.True(File.Exists(Environment.GetEnvironmentVariable("CLASSCLOUD_CHROMIUM") ?? "/usr/bin/chromium"));
}
