using System.Net;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Data;

/// <summary>The Data Protection key ring is stored in the database sealed with a key kept outside it.</summary>
public abstract class KeyEncryptionTests(ClasscloudHost host)
{
    [Fact]
    public async Task Keys_in_the_database_are_sealed_and_the_key_file_is_private()
    {
        var user = await host.UserAsync(TestRole.Student);  // signing in makes the ring's first key
        var stored = await host.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());

        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("<sealedKey", xml, StringComparison.Ordinal);
            Assert.Contains("algorithm=\"AES-256-GCM\"", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);  // the secret itself is nowhere in the row
        });
        var keyFile = Path.Combine(host.DataDirectory, "keys", "key-encryption.key");
        Assert.Equal(32, new FileInfo(keyFile).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        using var me = await user.Client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Another_host_on_the_same_data_reads_the_ring_and_one_with_another_key_cannot()
    {
        var protector = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        var secret = protector.Protect("classcloud");

        var sibling = host.Derive();
        Assert.Equal("classcloud", sibling.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));

        var otherKey = Path.Combine(Path.GetTempPath(), $"cc-other-{Guid.NewGuid():N}.key");
        await File.WriteAllBytesAsync(otherKey, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        try
        {
            var stranger = host.Derive(configuration: new Dictionary<string, string?> { ["Classcloud:DataProtection:KeyFile"] = otherKey });
            var strangerProtector = stranger.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => strangerProtector.Unprotect(secret));
        }
        finally
        {
            File.Delete(otherKey);
        }
    }
}

public sealed class SqliteKeyEncryptionTests(SqliteHost host) : KeyEncryptionTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresKeyEncryptionTests(PostgresHost host) : KeyEncryptionTests(host), IClassFixture<PostgresHost>;
