using System.Security.Cryptography;
using System.Text;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Admin;

/// <summary>
/// When an account is erased its audit entries stay (what happened, when, from where) but name a pseudonym
/// instead of the person (issue 16; GDPR art. 17 with the log kept for security). The pseudonym hashes the
/// account's id with its random security stamp, which goes with the account: the same person's entries stay
/// linkable to each other, and no list of e-mail addresses can be hashed to find who it was.
/// </summary>
public static class AuditPseudonyms
{
    public static string Of(User user) =>
        "user-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{user.Id}:{user.SecurityStamp}")))[..12];

    /// <summary>Rewrites every entry by or about the user: actor, target and any mention of the address in the detail.</summary>
    public static async Task ApplyAsync(ClasscloudDb db, User user, CancellationToken ct)
    {
        var pseudonym = Of(user);
        var email = user.Email ?? "";
        var id = user.Id;
        // An address change names the earlier address, which no other rule would find.
        await db.Audit.Where(a => a.ActorId == id && a.Action == AuditActions.EmailChange)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Detail, "from an earlier address"), ct);
        await db.Audit.Where(a => a.ActorId == id || (email != "" && a.ActorEmail == email))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ActorId, (long?)null).SetProperty(a => a.ActorEmail, pseudonym), ct);
        if (email.Length == 0)
        {
            return;
        }
        await db.Audit.Where(a => a.Target == email).ExecuteUpdateAsync(s => s.SetProperty(a => a.Target, pseudonym), ct);
        // Details are free text ("by admin@…", "from old@… to new@…"): the address is replaced where it appears.
        var mentioned = await db.Audit.Where(a => a.Detail != null && a.Detail.Contains(email)).ToListAsync(ct);
        foreach (var entry in mentioned)
        {
            entry.Detail = entry.Detail!.Replace(email, pseudonym, StringComparison.OrdinalIgnoreCase);
        }
        await db.SaveChangesAsync(ct);
    }
}
