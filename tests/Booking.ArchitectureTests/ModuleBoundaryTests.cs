namespace Booking.ArchitectureTests;

/// <summary>Modules talk only through contracts: checked in the project files and in the compiled assemblies.</summary>
public sealed class ModuleBoundaryTests
{
    public static TheoryData<string> Modules() => new(Repo.Modules);

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_project_references_only_building_blocks_and_contracts(string module)
    {
        var csproj = Path.Combine(Repo.Root, "src", "Modules", module, $"Booking.{module}", $"Booking.{module}.csproj");
        var illegal = Repo.ProjectReferences(csproj)
            .Where(r => r is not ("Booking.BuildingBlocks" or "Booking.BuildingBlocks.Contracts") && !r.EndsWith(".Contracts", StringComparison.Ordinal))
            .ToList();
        Assert.True(illegal.Count == 0, $"Booking.{module} references {string.Join(", ", illegal)}");
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_contracts_project_references_no_module_and_no_infrastructure(string module)
    {
        var csproj = Path.Combine(Repo.Root, "src", "Modules", module, $"Booking.{module}.Contracts", $"Booking.{module}.Contracts.csproj");
        Assert.All(Repo.ProjectReferences(csproj), r => Assert.True(r == "Booking.BuildingBlocks.Contracts" || r.EndsWith(".Contracts", StringComparison.Ordinal), r));
        Assert.All(Repo.PackageReferences(csproj), p => Assert.DoesNotContain(p, new[] { "Microsoft.EntityFrameworkCore", "Hangfire.Core", "Npgsql" }));
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_compiled_module_depends_on_no_other_module(string module)
    {
        var others = Repo.Modules.Where(m => m != module).Select(m => $"Booking.{m}").ToHashSet();
        var references = Repo.Load($"Booking.{module}").GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, others.Contains);
    }

    [Fact]
    public void Only_the_host_runs_the_mediator_source_generator()
    {
        var users = Repo.ProjectFiles("src").Concat(Repo.ProjectFiles("tests"))
            .Where(p => Repo.PackageReferences(p).Contains("Mediator.SourceGenerator"))
            .Select(Path.GetFileNameWithoutExtension)
            .ToList();
        Assert.Equal(["Booking.Host"], users);
    }

    [Fact]
    public void Message_handlers_are_public_and_sealed()
    {
        var handlerInterfaces = new[] { "ICommandHandler`1", "ICommandHandler`2", "IQueryHandler`2", "IRequestHandler`2", "INotificationHandler`1" };
        var offenders = Repo.Modules.Select(m => Repo.Load($"Booking.{m}"))
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && !t.IsAbstract && t.GetInterfaces().Any(i => i.Namespace == "Mediator" && handlerInterfaces.Contains(i.Name)))
            .Where(t => !t.IsPublic || !t.IsSealed)
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Each_module_has_a_readme()
    {
        var missing = Repo.Modules.Where(m => !File.Exists(Path.Combine(Repo.Root, "src", "Modules", m, "README.md"))).ToList();
        Assert.Empty(missing);
    }
}
