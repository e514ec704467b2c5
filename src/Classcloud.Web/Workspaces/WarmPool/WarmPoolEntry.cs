using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// One pre-started workspace container of the warm pool (issue 5 "Fast start (1)"): a <c>Workload</c> row of
/// kind <see cref="WarmPool.WorkloadKind"/> under the pool tenant, with a fresh home volume of its own. A
/// create claims it with one conditional UPDATE of <see cref="WorkspaceId"/>; the hand-over then moves the
/// container to the owner's tenant network and deletes this row.
/// </summary>
public sealed class WarmPoolEntry
{
    /// <summary>The platform workload id (also the Workload row's id).</summary>
    public string Id { get; set; } = "";

    /// <summary>Which pool: <c>terminal</c>, <c>desktop</c> or <c>environment-&lt;id&gt;</c> (<see cref="WarmPool.Key"/>).</summary>
    public string Pool { get; set; } = "";

    public WorkspaceKind Kind { get; set; }

    /// <summary>The image reference it runs; a create claims only an entry of exactly the image it asked for.</summary>
    public string Image { get; set; } = "";

    /// <summary>The engine's image id at creation: a base image's <c>:latest</c> that now names another image makes the entry stale.</summary>
    public string? ImageId { get; set; }

    public string VolumeName { get; set; } = "";

    /// <summary>The desktop's VNC password (Data Protection, like <see cref="Workspace.VncPasswordProtected"/>); the workspace takes it over.</summary>
    public string VncPasswordProtected { get; set; } = "";

    /// <summary>Running on the engine and claimable; false while the refiller is still making it.</summary>
    public bool Ready { get; set; }

    /// <summary>The workspace that claimed it (set once, by the claim's conditional UPDATE).</summary>
    public long? WorkspaceId { get; set; }

    public DateTime CreatedAt { get; set; }
}

internal sealed class WarmPoolEntryConfiguration : IEntityTypeConfiguration<WarmPoolEntry>
{
    public void Configure(EntityTypeBuilder<WarmPoolEntry> b)
    {
        b.Property(e => e.Id).HasMaxLength(50);
        b.Property(e => e.Pool).HasMaxLength(50);
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Image).HasMaxLength(WorkspaceLimits.Image);
        b.Property(e => e.ImageId).HasMaxLength(100);
        b.Property(e => e.VolumeName).HasMaxLength(100);
        b.Property(e => e.VncPasswordProtected).HasMaxLength(1000);
        b.HasIndex(e => new { e.Pool, e.WorkspaceId });
        b.HasIndex(e => e.WorkspaceId).IsUnique();
    }
}

/// <summary>
/// Classcloud:Workspaces:WarmPool — how many pre-started workspaces wait per base image and per course
/// environment. 0 (the default) turns a pool off; the pool is off on a platform that cannot move a
/// container between tenant networks (Kubernetes).
/// </summary>
public sealed class WarmPoolOptions
{
    /// <summary>Pre-started terminals on the terminal base image.</summary>
    public int Terminal { get; set; }

    /// <summary>Pre-started desktops on the desktop base image.</summary>
    public int Desktop { get; set; }

    /// <summary>Pre-started workspaces per published course environment.</summary>
    public int PerEnvironment { get; set; }

    /// <summary>How often the refiller looks at the pools besides after every claim (stale images, lost entries, freed capacity).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An entry still not ready after this long (its making was interrupted) is removed and made again.</summary>
    public TimeSpan MakeTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// After a claim, how long the refill and the move of a claimed terminal to its owner's network wait: both are
    /// heavy engine work (a container made and started; a network joined, which holds the container's lock), and the
    /// person who just created the workspace is connecting to it. A terminal needs no network for that connection.
    /// </summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(2);

    public bool Enabled => Terminal > 0 || Desktop > 0 || PerEnvironment > 0;
}
