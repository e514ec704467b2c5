using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Accounts;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.Property(u => u.Name).HasMaxLength(AccountLimits.Name);
        b.Property(u => u.Nickname).HasMaxLength(AccountLimits.Nickname);
        b.Property(u => u.Role).HasConversion<string>().HasMaxLength(16);
        b.Property(u => u.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(u => u.Culture).HasMaxLength(8);
        b.HasIndex(u => u.Name);
    }
}

internal sealed class AccountTokenConfiguration : IEntityTypeConfiguration<AccountToken>
{
    public void Configure(EntityTypeBuilder<AccountToken> b)
    {
        b.Property(t => t.Purpose).HasConversion<string>().HasMaxLength(24);
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.Property(t => t.Data).HasMaxLength(256);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PersonalAccessTokenConfiguration : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> b)
    {
        b.Property(t => t.Name).HasMaxLength(AccountLimits.TokenName);
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.Property(t => t.Prefix).HasMaxLength(16);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.UserId);
        b.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class AccountLimits
{
    public const int Email = 256;
    public const int Name = 100;
    public const int Nickname = 50;
    public const int Password = 128;
    public const int TokenName = 100;
    public const int MaxTokenDays = 365;
    public const int MaxTokensPerUser = 50;
}
