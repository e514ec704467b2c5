using Classcloud.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Groups;

public static class GroupLimits
{
    public const int Name = 100;
    public const int Description = 2000;
    public const int MaxGroupsPerUser = 50;
    public const int MaxMembers = 1000;
    public const int MaxPendingInvitations = 200;
}

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> b)
    {
        b.Property(g => g.Name).HasMaxLength(GroupLimits.Name);
        b.Property(g => g.Description).HasMaxLength(GroupLimits.Description);
        b.Property(g => g.Kind).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(g => g.Name);
    }
}

internal sealed class GroupMemberConfiguration : IEntityTypeConfiguration<GroupMember>
{
    public void Configure(EntityTypeBuilder<GroupMember> b)
    {
        b.HasKey(m => new { m.GroupId, m.UserId });
        b.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(m => m.UserId);
        b.HasOne<Group>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GroupInvitationConfiguration : IEntityTypeConfiguration<GroupInvitation>
{
    public void Configure(EntityTypeBuilder<GroupInvitation> b)
    {
        b.Property(i => i.Email).HasMaxLength(AccountLimits.Email);
        b.Property(i => i.Role).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(i => new { i.GroupId, i.Email }).IsUnique();
        b.HasIndex(i => i.Email);
        b.HasOne<Group>().WithMany().HasForeignKey(i => i.GroupId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(i => i.InvitedById).OnDelete(DeleteBehavior.SetNull);
    }
}
