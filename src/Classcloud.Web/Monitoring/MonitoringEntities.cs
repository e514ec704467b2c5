using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Monitoring;

/// <summary>One sample of the host the controller runs on (the history behind the host panel's charts).</summary>
public sealed class HostSample : IHistorySample
{
    public long Id { get; set; }
    public DateTime SampledAt { get; set; }
    /// <summary>Busy share of all cores since the previous sample, 0–100.</summary>
    public double CpuPercent { get; set; }
    public long MemoryUsedBytes { get; set; }
    public long MemoryTotalBytes { get; set; }
    /// <summary>The filesystem of Classcloud's data directory.</summary>
    public long DiskUsedBytes { get; set; }
    public long DiskTotalBytes { get; set; }
    /// <summary>The filesystem of the engine's data root, when it is on this machine.</summary>
    public long? EngineDiskUsedBytes { get; set; }
    public long? EngineDiskTotalBytes { get; set; }
    public bool EngineUp { get; set; }
    /// <summary>Containers running on the engine (anyone's); null while it is unreachable.</summary>
    public int? Containers { get; set; }
}

/// <summary>One count of what the registry holds.</summary>
public sealed class RegistrySample : IHistorySample
{
    public long Id { get; set; }
    public DateTime SampledAt { get; set; }
    public bool Up { get; set; }
    public int Repositories { get; set; }
    public int Tags { get; set; }
    /// <summary>Unique blobs (layers and configs), each counted once.</summary>
    public long Bytes { get; set; }
}

internal sealed class HostSampleConfiguration : IEntityTypeConfiguration<HostSample>
{
    public void Configure(EntityTypeBuilder<HostSample> b) => b.HasIndex(s => s.SampledAt);
}

internal sealed class RegistrySampleConfiguration : IEntityTypeConfiguration<RegistrySample>
{
    public void Configure(EntityTypeBuilder<RegistrySample> b) => b.HasIndex(s => s.SampledAt);
}
