using System.Text.RegularExpressions;

namespace Booking.ArchitectureTests;

public sealed partial class ConventionTests
{
    [GeneratedRegex(@"IgnoreQueryFilters\(\s*\)")]
    private static partial Regex IgnoreAllFilters();

    [GeneratedRegex(@"\bDateTime(Offset)?\.Now\b")]
    private static partial Regex LocalNow();

    [Fact]
    public void No_code_drops_every_query_filter_at_once()
    {
        // IgnoreQueryFilters() silently drops the tenant filter; name the filters you mean to drop instead.
        var offenders = Repo.SourceFiles("src").Where(f => IgnoreAllFilters().IsMatch(File.ReadAllText(f))).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_code_reads_the_servers_local_clock()
    {
        var offenders = Repo.SourceFiles("src").Where(f => LocalNow().IsMatch(File.ReadAllText(f))).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_helper_manager_or_services_folders_inside_modules()
    {
        var folders = Directory.EnumerateDirectories(Path.Combine(Repo.Root, "src", "Modules"), "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(n => n is "Helpers" or "Managers")
            .ToList();
        Assert.Empty(folders);
    }
}
