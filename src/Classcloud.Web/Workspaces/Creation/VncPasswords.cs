using System.Security.Cryptography;
using Classcloud.Web.Orchestration;
using Microsoft.AspNetCore.DataProtection;

namespace Classcloud.Web.Workspaces;

/// <summary>VNC passwords of workspaces and warm-pool containers, stored protected (only the engine and the gateway read them).</summary>
public sealed class VncPasswords(IDataProtectionProvider protection)
{
    /// <summary>A new password, protected for the row.</summary>
    public string NewProtected() => Protector.Protect(New());

    /// <summary>The password itself, for the gateway's VNC authentication.</summary>
    public string Reveal(string protectedPassword) => Protector.Unprotect(protectedPassword);

    IDataProtector Protector => protection.CreateProtector(WorkloadDefinition.SecretPurpose);

    static string New()
    {
        // VNC authentication uses at most 8 characters.
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(8, alphabet, (span, a) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = a[RandomNumberGenerator.GetInt32(a.Length)];
            }
        });
    }
}
