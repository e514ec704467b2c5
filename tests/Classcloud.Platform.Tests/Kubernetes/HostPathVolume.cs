using System.Diagnostics;

namespace Classcloud.Platform.Tests.Kubernetes;

/// <summary>
/// A hostPath PersistentVolume in a storage class of its own, which a real-cluster test offers because the cluster
/// has no volume provisioner. The node is this machine: the directory is made here, writable by the workload's user
/// (hostPath ignores <c>fsGroup</c>). Disposing deletes the volume object and the directory.
/// </summary>
public sealed class HostPathVolume : IAsyncDisposable
{
    readonly string kubeconfig;

    HostPathVolume(string kubeconfig, string storageClass, string directory) =>
        (this.kubeconfig, StorageClass, HostDirectory) = (kubeconfig, storageClass, directory);

    public string StorageClass { get; }

    /// <summary>The directory on this machine (the node) that holds the volume's files.</summary>
    public string HostDirectory { get; }

    public static async Task<HostPathVolume> OfferAsync(string kubeconfig, string storageClass, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("classcloud-e2e-home-").FullName;
        File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
        var volume = new HostPathVolume(kubeconfig, storageClass, directory);
        try
        {
            await KubectlAsync(kubeconfig, "apply -f -", $$"""
                {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "{{storageClass}}"},
                 "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "persistentVolumeReclaimPolicy": "Retain",
                          "storageClassName": "{{storageClass}}", "hostPath": {"path": "{{directory}}", "type": "Directory"} } }
                """, ct);
            return volume;
        }
        catch
        {
            await volume.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KubectlAsync(kubeconfig, $"delete persistentvolume {StorageClass} --ignore-not-found --wait=false", null, CancellationToken.None);
        Directory.Delete(HostDirectory, recursive: true);
    }

    static async Task KubectlAsync(string kubeconfig, string arguments, string? input, CancellationToken ct)
    {
        var start = new ProcessStartInfo("kubectl", $"--kubeconfig {kubeconfig} {arguments}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start (test.sh installs it).");
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, $"kubectl {arguments} failed: {await stderr}{await stdout}");
    }
}
