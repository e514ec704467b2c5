using System.Buffers.Text;
using System.Security.Cryptography;
using Classcloud.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace Classcloud.Web.Lti;

/// <summary>
/// The tool's RSA key: made once on first use and kept in the database, protected with the data-protection ring
/// (whose keys are themselves sealed by the key-encryption key, Data/KeyEncryption.cs), so a copy of the database
/// alone cannot sign as Classcloud. Platforms read its public half at <c>/lti/jwks</c>; the tool signs deep-linking
/// responses and service token requests with it.
/// </summary>
public sealed class LtiToolKeys(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider time) : IDisposable
{
    const long SingletonId = 1;
    const string Purpose = "Classcloud.Lti.ToolKey";
    readonly SemaphoreSlim gate = new(1, 1);
    RsaSecurityKey? key;

    public async Task<RsaSecurityKey> GetAsync(CancellationToken ct)
    {
        if (key is { } known)
        {
            return known;
        }
        await gate.WaitAsync(ct);
        try
        {
            return key ??= await LoadOrCreateAsync(ct);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        gate.Dispose();
        key?.Rsa.Dispose();
    }

    /// <summary>The public key set (RFC 7517) platforms verify the tool's signatures with.</summary>
    public async Task<object> KeySetAsync(CancellationToken ct)
    {
        var rsa = await GetAsync(ct);
        var p = rsa.Rsa.ExportParameters(includePrivateParameters: false);
        return new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = rsa.KeyId, n = Base64Url.EncodeToString(p.Modulus), e = Base64Url.EncodeToString(p.Exponent) },
            },
        };
    }

    public async Task<SigningCredentials> SigningCredentialsAsync(CancellationToken ct) =>
        new(await GetAsync(ct), SecurityAlgorithms.RsaSha256);

    async Task<RsaSecurityKey> LoadOrCreateAsync(CancellationToken ct)
    {
        var protector = protection.CreateProtector(Purpose);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var row = await db.Set<LtiToolKey>().AsNoTracking().SingleOrDefaultAsync(k => k.Id == SingletonId, ct);
        if (row is null)
        {
            using var rsa = RSA.Create(2048);
            var kid = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
            db.Add(new LtiToolKey
            {
                Id = SingletonId,
                KeyId = kid,
                ProtectedKey = protector.Protect(Convert.ToBase64String(rsa.ExportPkcs8PrivateKey())),
                CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another replica made the key first: everyone signs with that one.
                db.ChangeTracker.Clear();
            }
            row = await db.Set<LtiToolKey>().AsNoTracking().SingleAsync(k => k.Id == SingletonId, ct);
        }
        var loaded = RSA.Create();
        loaded.ImportPkcs8PrivateKey(Convert.FromBase64String(protector.Unprotect(row.ProtectedKey)), out _);
        return new RsaSecurityKey(loaded) { KeyId = row.KeyId };
    }
}
