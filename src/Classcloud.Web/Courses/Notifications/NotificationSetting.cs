using Classcloud.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Courses;

/// <summary>How a person wants their notifications by mail (issue 17).</summary>
public enum NotificationMail
{
    Off,
    Daily,
    Immediate,
}

/// <summary>
/// A person's notification mail setting and when their last digest went out. A person without a row
/// has their role's default (<see cref="NotificationSetting.DefaultFor"/>); the row appears when they
/// choose, or when their first digest is recorded.
/// </summary>
public sealed class NotificationSetting
{
    public long UserId { get; set; }
    /// <summary>Null: the role's default, so a student who becomes an educator follows the new default.</summary>
    public NotificationMail? Mail { get; set; }
    /// <summary>The day's digest moment the last digest covered up to: the next one starts after it.</summary>
    public DateTime? LastDigestAt { get; set; }

    /// <summary>Students are not mailed unless they ask; educators and administrators get a daily digest.</summary>
    public static NotificationMail DefaultFor(AccountRole role) => role == AccountRole.Student ? NotificationMail.Off : NotificationMail.Daily;

    public static string Name(NotificationMail mail) => mail.ToString().ToLowerInvariant();

    public static NotificationMail? Parse(string? value) => value switch
    {
        "off" => NotificationMail.Off,
        "daily" => NotificationMail.Daily,
        "immediate" => NotificationMail.Immediate,
        _ => null,
    };
}

internal sealed class NotificationSettingConfiguration : IEntityTypeConfiguration<NotificationSetting>
{
    public void Configure(EntityTypeBuilder<NotificationSetting> b)
    {
        b.HasKey(s => s.UserId);
        b.Property(s => s.UserId).ValueGeneratedNever();
        b.Property(s => s.Mail).HasConversion<string>().HasMaxLength(16);
        b.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
