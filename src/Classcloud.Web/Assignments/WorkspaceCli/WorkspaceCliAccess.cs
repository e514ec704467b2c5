using System.Security.Cryptography;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Workspaces;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Assignments.WorkspaceCli;

/// <summary>
/// What a course workspace's container gets for its <c>classcloud</c> command: the command's folder (read-only) and
/// the token, a secret variable. The token is minted when the workspace's request is first written (create or start)
/// and kept while its row lives: a new value would make the engine replace the container at every start (a
/// container's variables are fixed at create), losing what the student installed outside the home. Deleting the
/// workspace deletes the row (cascade), and a token with no row is refused; a workspace whose row went is given a
/// new token at its next start.
/// </summary>
public sealed class WorkspaceCliAccess(ClasscloudDb db, WorkspaceCliFiles files, IDataProtectionProvider protection, TimeProvider clock)
{
    IDataProtector Protector => protection.CreateProtector(WorkloadDefinition.SecretPurpose);

    /// <summary>The definition with the command's mount and token, for a course workspace when the command is on.</summary>
    public async Task<WorkloadDefinition> AddAsync(Workspace w, string workloadId, WorkloadDefinition definition, CancellationToken ct)
    {
        if (w.CourseId is not { } course || !files.Enabled)
        {
            return definition;
        }
        var secret = await KeptAsync(w, workloadId, ct) ?? await MintAsync(w, course, ct);
        return definition with
        {
            SecretEnvironment = new Dictionary<string, string>(definition.SecretEnvironment) { [WorkspaceCliToken.Variable] = secret },
            HostDirectories = [files.Mount],
        };
    }

    /// <summary>The protected token already in the workload's request, while its row still stands.</summary>
    async Task<string?> KeptAsync(Workspace w, string workloadId, CancellationToken ct)
    {
        var json = await db.Workloads.AsNoTracking().Where(x => x.Id == workloadId).Select(x => x.SpecJson).SingleOrDefaultAsync(ct);
        if (json is null || !WorkloadDefinition.FromJson(json).SecretEnvironment.TryGetValue(WorkspaceCliToken.Variable, out var kept))
        {
            return null;
        }
        string plain;
        try
        {
            plain = Protector.Unprotect(kept);
        }
        catch (CryptographicException)
        {
            return null; // keys rotated away: a new token
        }
        var hash = SecretTokens.Hash(plain);
        return await db.Set<WorkspaceCliToken>().AnyAsync(t => t.TokenHash == hash && t.WorkspaceId == w.Id, ct) ? kept : null;
    }

    async Task<string> MintAsync(Workspace w, long course, CancellationToken ct)
    {
        await db.Set<WorkspaceCliToken>().Where(t => t.WorkspaceId == w.Id).ExecuteDeleteAsync(ct);
        var secret = SecretTokens.Create(WorkspaceCliToken.Prefix);
        db.Set<WorkspaceCliToken>().Add(new WorkspaceCliToken
        {
            WorkspaceId = w.Id,
            UserId = w.OwnerId,
            CourseId = course,
            TokenHash = SecretTokens.Hash(secret),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return Protector.Protect(secret);
    }

    /// <summary>Revokes a workspace's token at once (deletion starts; the cascade would only act when the row goes).</summary>
    public Task RevokeAsync(long workspaceId, CancellationToken ct) =>
        db.Set<WorkspaceCliToken>().Where(t => t.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
}
