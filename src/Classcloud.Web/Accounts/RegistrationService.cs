using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Accounts;

/// <summary>Sign-up (seed 000 §3.2.4, seed 002 §2.3): checks the form (<see cref="SignUpRules"/>), makes the account and sends the verification link.</summary>
public sealed class RegistrationService(
    ClasscloudDb db, UserManager<User> users, SignUpRules rules, VerificationLinks links, AuditLog audit, TimeProvider time)
{
    public async Task<Outcome<User>> RegisterAsync(RegisterRequest request, CancellationToken ct)
    {
        var email = request.Email?.Trim();
        var checkedForm = await rules.CheckAsync(request, email, ct);
        if (!checkedForm.Succeeded)
        {
            return checkedForm.Problem!;
        }
        var role = checkedForm.Value;

        var user = new User
        {
            UserName = email,
            Email = email,
            Name = request.Name!.Trim(),
            Nickname = request.Nickname!.Trim(),
            Role = role,
            // Educators wait for an administrator (seed 000 §3.5.7); students are active once verified.
            Status = role == AccountRole.Educator ? AccountStatus.Pending : AccountStatus.Active,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, request.Password!);
        if (!created.Succeeded)
        {
            return rules.FromIdentity(created);
        }
        links.Add(user);
        audit.Record(AuditActions.SignUp, target: email, detail: $"role={request.Role}", actorId: user.Id, actorEmail: email);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return user;
    }
}
