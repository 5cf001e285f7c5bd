using System.Text.RegularExpressions;

namespace Booking.ArchitectureTests;

public sealed partial class ConventionTests
{
    [GeneratedRegex(@"IgnoreQueryFilters\(\s*\)")]
    private static partial Regex IgnoreAllFilters();

    [GeneratedRegex(@"\bDateTime(Offset)?\.Now\b")]
    private static partial Regex LocalNow();

    // A regex literal (on a line that builds or declares a Regex) whose last character before the closing quote is "$".
    [GeneratedRegex(@"(Regex|\.Matches\().*""[^""]*(?<!\\)\$""")]
    private static partial Regex DollarAnchoredPattern();

    // A RequireStaff( call whose arguments (up to the closing parenthesis) hold a quote: a role written as text.
    [GeneratedRegex(@"\bRequireStaff\((?<args>[^)]*)\)")]
    private static partial Regex RequireStaffCall();

    // A string literal that is exactly a staff role's name.
    [GeneratedRegex(@"""(owner|admin|practitioner)""")]
    private static partial Regex RoleNameLiteral();

    // A FluentValidation length rule not followed (after an optional OverridePropertyName) by its own WithMessage.
    [GeneratedRegex(@"\.(MaximumLength|MinimumLength|Length)\([^()]*\)(?!\s*(\.OverridePropertyName\([^()]*\)\s*)?\.WithMessage\()")]
    private static partial Regex LengthRuleWithoutMessage();

    [GeneratedRegex(@"\bclass\s+StaffRoles\b")]
    private static partial Regex StaffRolesDeclaration();

    [Fact]
    public void Endpoints_name_staff_roles_from_StaffRoles_never_as_text()
    {
        // A misspelt role in RequireStaff("owner", "amdin") builds, runs and silently refuses everyone it meant to let in.
        var offenders = Repo.SourceFiles("src")
            .SelectMany(f => RequireStaffCall().Matches(File.ReadAllText(f))
                .Where(m => m.Groups["args"].Value.Contains('"', StringComparison.Ordinal))
                .Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Staff_role_names_are_written_once()
    {
        // Roles used to be declared twice (Tenancy's domain, the Host's staff pages) and typed out at the endpoints;
        // BuildingBlocks' StaffRoles is the one list. ReservedSlugs holds "admin" and "owner" as business names, not roles.
        var declarations = Repo.SourceFiles("src").Where(f => StaffRolesDeclaration().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
            .ToList();
        Assert.Equal(new[] { "src/BuildingBlocks/Booking.BuildingBlocks/Web/StaffRoles.cs" }, declarations);

        var literals = Repo.SourceFiles("src")
            .Where(f => Path.GetFileName(f) is not ("StaffRoles.cs" or "ReservedSlugs.cs"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => RoleNameLiteral().IsMatch(x.line))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}")
            .ToList();
        Assert.Empty(literals);
    }

    [Fact]
    public void Every_length_rule_says_its_limit_in_the_apps_words()
    {
        // FluentValidation's default ("The length of 'First Name' must be 100 characters or fewer. You entered 101
        // characters.") names the property in C#'s words; the app says "Use at most 100 characters." everywhere.
        var offenders = Repo.SourceFiles("src")
            .SelectMany(f =>
            {
                var text = File.ReadAllText(f);
                return LengthRuleWithoutMessage().Matches(text)
                    .Select(m => $"{Path.GetFileName(f)}:{text[..m.Index].Count(c => c == '\n') + 1}");
            })
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_pattern_ends_with_a_dollar_that_lets_a_final_newline_through()
    {
        // .NET's "$" also matches before a final "\n": "demo\n" passed the slug check and became a second business
        // that looked like "demo". Checks anchor with "\z".
        var offenders = Repo.SourceFiles("src")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => DollarAnchoredPattern().IsMatch(x.line))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}")
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_test_migrates_the_shared_apps_database_by_hand()
    {
        // Migrating down drops every later migration's tables; migrating up again makes them without the migrator's
        // row-level security and grants, so whichever shared-app tests use them afterwards answer 500 (decision 138).
        // A test that drives IMigrator gets a database of its own.
        var offenders = Repo.SourceFiles("tests")
            .Select(f => (f, text: File.ReadAllText(f)))
            .Where(x => x.text.Contains("IMigrator", StringComparison.Ordinal))
            .SelectMany(x => x.text.Split('\n').Select((line, i) => (x.f, line, i)))
            .Where(x => x.line.Contains("shared.App", StringComparison.Ordinal)
                        && (x.line.Contains("IMigrator", StringComparison.Ordinal) || x.line.Contains("module.Create", StringComparison.Ordinal)
                            || x.line.Contains("OwnerConnectionString", StringComparison.Ordinal) && x.line.Contains("Create(", StringComparison.Ordinal)))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}")
            .ToList();
        Assert.Empty(offenders);
    }

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
