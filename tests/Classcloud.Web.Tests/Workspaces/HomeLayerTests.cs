using System.Formats.Tar;
using System.Text;
using Classcloud.Web.Workspaces;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>The home tar → image layer rewrite of the save without commit (no engine).</summary>
public sealed class HomeLayerTests : IDisposable
{
    readonly string home = Path.GetTempFileName();
    readonly string layer = Path.GetTempFileName();

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("./../escape.txt")]
    [InlineData("./src/../../escape.txt")]
    [InlineData("/etc/cron.d/escape")]
    [InlineData("..")]
    public async Task An_entry_outside_home_is_refused_whatever_the_engine_sent(string name)
    {
        await using (var stream = File.Create(home))
        await using (var tar = new TarWriter(stream, TarEntryFormat.Gnu))
        {
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.Directory, "./"));
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, "./fine..txt") { DataStream = new MemoryStream("ok"u8.ToArray()) });
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("pwned"u8.ToArray()) });
        }
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => HomeLayer.WriteAsync(home, layer, "/home/classcloud", CancellationToken.None));
        Assert.Contains("outside the home directory", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notes.txt", true)]
    [InlineData("a..b/c...d", true)]
    [InlineData("", true)]
    [InlineData("../x", false)]
    [InlineData("a/../../x", false)]
    [InlineData("/x", false)]
    public void Inside_home_means_relative_without_climbing(string name, bool inside) =>
        Assert.Equal(inside, HomeArchiver.IsInsideHome(name));

    [Fact]
    public async Task Entries_go_under_the_home_path_owned_by_1000_with_parents_first_and_devices_fifos_and_hard_links_left_out()
    {
        await using (var stream = File.Create(home))
        await using (var tar = new TarWriter(stream, TarEntryFormat.Gnu))
        {
            // As GNU tar -C home -cf - . writes it: the home directory first, as "./", owned by whoever.
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.Directory, "./") { Mode = (UnixFileMode)0b111_000_000, Uid = 4242 });
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, "./notes.txt")
            {
                Mode = (UnixFileMode)0b110_100_000,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("my notes\n")),
            });
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.Directory, "./src/") { Mode = (UnixFileMode)0b111_101_101 });
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.SymbolicLink, "./src/link") { LinkName = "../notes.txt" });
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.HardLink, "./hard") { LinkName = "./notes.txt" });
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.Fifo, "./pipe"));
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.CharacterDevice, "./null"));
        }

        await HomeLayer.WriteAsync(home, layer, "/home/classcloud", CancellationToken.None);

        var entries = new List<string>();
        await using (var stream = File.OpenRead(layer))
        await using (var reader = new TarReader(stream))
        {
            while (await reader.GetNextEntryAsync(copyData: true) is { } e)
            {
                var data = e.DataStream is { } d ? new StreamReader(d).ReadToEnd() : "";
                entries.Add($"{e.EntryType} {e.Name} {e.Uid}:{e.Gid} {Convert.ToString((int)e.Mode, 8)} {e.LinkName}{data}".TrimEnd());
            }
        }
        Assert.Equal(
        [
            "Directory home/ 0:0 755",
            "Directory home/classcloud/ 1000:1000 700",
            "RegularFile home/classcloud/notes.txt 1000:1000 640 my notes",
            "Directory home/classcloud/src/ 1000:1000 755",
            "SymbolicLink home/classcloud/src/link 1000:1000 644 ../notes.txt",
        ], entries);
    }

    [Fact]
    public async Task An_empty_home_still_gives_the_home_directory()
    {
        await using (var stream = File.Create(home))
        await using (new TarWriter(stream, TarEntryFormat.Pax))
        {
        }
        await HomeLayer.WriteAsync(home, layer, "/srv/home/student", CancellationToken.None);
        await using var read = File.OpenRead(layer);
        await using var reader = new TarReader(read);
        var names = new List<string>();
        while (await reader.GetNextEntryAsync() is { } e)
        {
            names.Add($"{e.Name} {e.Uid}");
        }
        Assert.Equal(["srv/ 0", "srv/home/ 0", "srv/home/student/ 1000"], names);
    }

    public void Dispose()
    {
        File.Delete(home);
        File.Delete(layer);
    }
}
