using System.Reflection;
using System.Xml.Linq;

namespace Booking.ArchitectureTests;

internal static class Repo
{
    public static readonly string[] Modules = ["Tenancy", "Roster", "Services", "Appointments", "PortalAuth", "Notifications"];

    public static string Root { get; } = FindRoot();

    public static IEnumerable<string> ProjectFiles(string under) =>
        Directory.EnumerateFiles(Path.Combine(Root, under), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    public static IEnumerable<string> SourceFiles(string under) =>
        Directory.EnumerateFiles(Path.Combine(Root, under), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    public static IReadOnlyList<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();

    public static IReadOnlyList<string> PackageReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToList();

    public static Assembly Load(string name) => Assembly.Load(name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Booking.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Booking.sln not found above the test binaries.");
    }
}
