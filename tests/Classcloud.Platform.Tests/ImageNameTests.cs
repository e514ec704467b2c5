using Classcloud.Platform;

namespace Classcloud.Platform.Tests;

public sealed class ImageNameTests
{
    [Fact]
    public void A_system_image_is_named_image_system_under_the_registry()
    {
        var image = ImageNames.System("127.0.0.1:5000", "terminal", "3f2a9c1e0b7d");
        Assert.Equal("127.0.0.1:5000/classcloud/image/system/terminal:3f2a9c1e0b7d", image.ToString());
        Assert.Equal("127.0.0.1:5000/classcloud/image/system/terminal", image.Repository);
    }

    [Fact]
    public void Any_kind_and_owner_can_be_named_for_any_registry()
    {
        var image = ImageNames.Create("harbor.example.ac.kr", "workspace", "u-42", "my_env.v2", "2026-11-22.1");
        Assert.Equal("harbor.example.ac.kr/classcloud/workspace/u-42/my_env.v2:2026-11-22.1", image.ToString());
    }

    [Theory]
    [InlineData("Registry:5000", "image", "system", "terminal", "1", "registry")]
    [InlineData("127.0.0.1:5000/x", "image", "system", "terminal", "1", "registry")]
    [InlineData("", "image", "system", "terminal", "1", "registry")]
    [InlineData("127.0.0.1:5000", "Image", "system", "terminal", "1", "kind")]
    [InlineData("127.0.0.1:5000", "image", "sys/tem", "terminal", "1", "owner")]
    [InlineData("127.0.0.1:5000", "image", "system", "Terminal", "1", "name")]
    [InlineData("127.0.0.1:5000", "image", "system", "-terminal", "1", "name")]
    [InlineData("127.0.0.1:5000", "image", "system", "ter--minal", "1", "name")]
    [InlineData("127.0.0.1:5000", "image", "system", "", "1", "name")]
    [InlineData("127.0.0.1:5000", "image", "system", "terminal", "", "tag")]
    [InlineData("127.0.0.1:5000", "image", "system", "terminal", "Latest", "tag")]
    [InlineData("127.0.0.1:5000", "image", "system", "terminal", ".hidden", "tag")]
    [InlineData("127.0.0.1:5000", "image", "system", "terminal", "a:b", "tag")]
    public void A_bad_part_is_refused_naming_the_part(string registry, string kind, string owner, string name, string tag, string part)
    {
        var error = Assert.Throws<ArgumentException>(() => ImageNames.Create(registry, kind, owner, name, tag));
        Assert.StartsWith($"Not a valid image name: {part} '", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_limits_hold_for_each_part_and_the_whole_repository()
    {
        Assert.NotNull(ImageNames.Create("r", "image", new string('o', 64), new string('n', 64), new string('t', 128)));
        Assert.Throws<ArgumentException>(() => ImageNames.Create("r", "image", new string('o', 65), "n", "t"));
        Assert.Throws<ArgumentException>(() => ImageNames.Create("r", new string('k', 33), "o", "n", "t"));
        Assert.Throws<ArgumentException>(() => ImageNames.Create("r", "image", "o", "n", new string('t', 129)));
        var longRegistry = string.Join('.', Enumerable.Repeat(new string('h', 60), 3));
        var error = Assert.Throws<ArgumentException>(() => ImageNames.Create(longRegistry, "image", new string('o', 40), new string('n', 40), "t"));
        Assert.Contains("longer than 255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_reads_back_into_its_parts_and_foreign_names_do_not()
    {
        Assert.True(ImageNames.TryParse("127.0.0.1:5000/classcloud/workspace/u-7/env:abc", out var image));
        Assert.Equal(new ImageName("127.0.0.1:5000", "workspace", "u-7", "env", "abc"), image);
        Assert.False(ImageNames.TryParse("127.0.0.1:5000/library/debian:bookworm", out _));
        Assert.False(ImageNames.TryParse("127.0.0.1:5000/classcloud/image/system/terminal", out _));
        Assert.False(ImageNames.TryParse("127.0.0.1:5000/classcloud/image/System/terminal:1", out _));
        Assert.False(ImageNames.TryParse(null, out _));
    }
}
