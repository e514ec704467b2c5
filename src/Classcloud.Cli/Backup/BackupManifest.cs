using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Classcloud.Cli.Backup;

/// <summary>
/// <c>manifest.json</c>, the first entry of every backup: what is inside, and a size and SHA-256 for
/// every other entry, so a restore can refuse a damaged or altered archive before it writes anything.
/// </summary>
internal sealed record BackupManifest
{
    /// <summary>Raised when the layout changes; a restore refuses formats it does not know.</summary>
    public const int CurrentFormat = 1;

    public const string FileName = "manifest.json";

    /// <summary>Where the key-encryption key is inside, with <c>--include-key</c>.</summary>
    public const string KeyEntry = "keys/key-encryption.key";

    /// <summary>The data directory's files are under this folder.</summary>
    public const string DataFolder = "data";

    public int Format { get; init; } = CurrentFormat;

    public required string ClasscloudVersion { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required BackupDatabase Database { get; init; }

    /// <summary>The data directory the backup was made from (for the operator's information).</summary>
    public required string DataDirectory { get; init; }

    public required string Scope { get; init; }

    public required BackupKey Key { get; init; }

    public IReadOnlyList<BackupVolume> Volumes { get; init; } = [];

    /// <summary>Every entry except the manifest, with its size and checksum.</summary>
    public IReadOnlyList<BackupEntry> Entries { get; init; } = [];

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static BackupManifest? Parse(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<BackupManifest>(json, Json);

    public static async Task<string> Sha256Async(string file, CancellationToken ct)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}

/// <param name="Provider">Sqlite or Postgres.</param>
/// <param name="Entry">The entry holding it: an SQLite file, or a pg_dump custom-format dump.</param>
/// <param name="Migration">The last schema migration applied (from __EFMigrationsHistory); null on an empty database.</param>
internal sealed record BackupDatabase(string Provider, string Entry, string? Migration);

/// <param name="Included">The key is inside (<c>--include-key</c>); otherwise it was written beside the archive.</param>
/// <param name="Sha256">Its checksum, so a restore can tell a key file of another backup; null when the install had none yet.</param>
internal sealed record BackupKey(bool Included, string? Sha256);

/// <param name="Name">The engine's volume name, kept on restore (the database names volumes).</param>
/// <param name="Labels">Its labels, put back on restore (scope, workspace, tenant).</param>
/// <param name="Entry">The tar of its files.</param>
internal sealed record BackupVolume(string Name, IReadOnlyDictionary<string, string> Labels, string Entry);

internal sealed record BackupEntry(string Path, long Bytes, string Sha256);
