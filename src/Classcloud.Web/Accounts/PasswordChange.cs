using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>Changing one's password on My page (seed 000 MEM03): the current one first, audited.</summary>
public sealed class PasswordChange(ClasscloudDb db, UserManager<User> users, AccountValidation validate, AuditLog audit)
{
    public async Task<Problem?> ChangePasswordAsync(long userId, ChangePasswordRequest request, CancellationToken ct)
    {
        var problem = validate.Password(request.CurrentPassword) ?? validate.Password(request.NewPassword);
        if (problem is not null)
        {
            return problem;
        }
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword!);
        if (!result.Succeeded)
        {
            return validate.FromIdentity(result);
        }
        await audit.RecordAndSaveAsync(AuditActions.PasswordChange, user.Email, null, user.Id, user.Email, ct);
        return null;
    }
}
