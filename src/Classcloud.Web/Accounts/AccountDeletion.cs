using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>Deleting an account (seed 000 MEM04), by its owner or an administrator: guards, erasers, a pseudonymous audit trail.</summary>
public sealed class AccountDeletion(
    ClasscloudDb db, UserManager<User> users, AuditLog audit, IEnumerable<IAccountDeletionGuard> guards, IEnumerable<IAccountEraser> erasers)
{
    /// <summary>Deletes the account after the password is re-entered and the deletion confirmed.</summary>
    public async Task<Problem?> DeleteAsync(long userId, DeleteAccountRequest request, CancellationToken ct)
    {
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        if (!request.Confirm)
        {
            return Problem.BadRequest("Confirm that you want to delete your account.");
        }
        if (string.IsNullOrEmpty(request.Password) || !await users.CheckPasswordAsync(user, request.Password))
        {
            return Problem.BadRequest("The current password is incorrect.");
        }
        return await DeleteUserAsync(user, "self", ct);
    }

    /// <summary>Shared by self-deletion and administrators: guards first, the audit entry with the deletion.</summary>
    public async Task<Problem?> DeleteUserAsync(User user, string by, CancellationToken ct)
    {
        foreach (var guard in guards)
        {
            if (await guard.BlockingReasonAsync(user, ct) is { } reason)
            {
                return Problem.Conflict(reason);
            }
        }
        if (user.Role == AccountRole.Admin && !await db.Users.AnyAsync(u => u.Role == AccountRole.Admin && u.Id != user.Id && u.Status == AccountStatus.Active, ct))
        {
            return Problem.Conflict("The last administrator cannot be deleted.");
        }
        // What lives beside the rows (containers, volumes, registry images, files) goes first; a failure keeps the account.
        foreach (var eraser in erasers.OrderBy(e => e.Order))
        {
            try
            {
                await eraser.EraseAsync(user, ct);
            }
            catch (Classcloud.Platform.PlatformException ex)
            {
                return new Problem(StatusCodes.Status502BadGateway, "Not everything of the account could be removed yet ({0}); it is kept. Try again.", ex.Message);
            }
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        audit.Record(AuditActions.Delete, target: user.Email, detail: $"by {by}");
        await db.SaveChangesAsync(ct);
        // The audit log keeps what happened, not who: the person's entries (this one included) name a pseudonym.
        await AuditPseudonyms.ApplyAsync(db, user, ct);
        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }
}
