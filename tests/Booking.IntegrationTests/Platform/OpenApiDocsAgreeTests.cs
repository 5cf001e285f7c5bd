using System.Text.RegularExpressions;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// The docs (API.md, the contract, and docs/api-additions.md) and the OpenAPI document say the same of each route's
/// problem kinds, both ways (decision 305): a kind a docs row names for its route is declared by that operation under
/// the kind's status; a kind the document declares for an operation is named for that route in the docs, or by one of
/// the few rules the docs state once for many routes (each rule's sentence is checked to be there still). Read from the
/// files and the running app's document, every operation, not a sample.
/// </summary>
public sealed partial class OpenApiDocsAgreeTests(SharedApp shared) : IClassFixture<SharedApp>
{
    // A kind named in a row's text that is not an answer of the row's route: a value of a field, or another route's kind.
    private static readonly HashSet<(string Route, string Kind)> NamedButNotAnswered =
    [
        ("POST /api/v1/admin/appointments/check", "slot-conflict"), // `taken`: the booking would be 409 slot-conflict
        ("POST /api/v1/portal/appointments/{id}/keep", "cancellation-declined"), // the cancel's kind, named to say when a second request is barred
        ("POST /api/v1/unsubscribe", "unsubscribed"), // the answer's field
        ("GET /api/v1/admin/portal/readiness", "portal-disabled"), // a check's reason
        ("GET /api/v1/admin/portal/readiness", "access-level-off"), // a check's reason
    ];

    [Fact]
    public async Task Every_kind_the_document_names_is_defined_in_the_docs_under_the_same_status()
    {
        var operations = await OperationsAsync();
        var statuses = KindStatuses(Docs.Texts);
        Assert.True(statuses.Count >= 30, $"only {statuses.Count} kinds defined in the docs");
        foreach (var operation in operations)
        {
            foreach (var (kind, status) in operation.Kinds)
            {
                Assert.True(statuses.TryGetValue(kind, out var documented), $"{operation.Route}: `{kind}` is defined in neither API.md nor api-additions.md");
                Assert.True(documented == status, $"{operation.Route}: `{kind}` under {status}, the docs say {documented}");
            }
        }
    }

    [Fact]
    public async Task Each_kind_a_docs_row_names_for_its_route_is_declared_under_that_kinds_status()
    {
        var operations = (await OperationsAsync()).ToDictionary(o => o.Route);
        var statuses = KindStatuses(Docs.Texts);
        var checkedRows = 0;
        var wrong = new List<string>();
        foreach (var entry in Docs.Texts.SelectMany(Entries))
        {
            var routes = entry.Routes.Where(operations.ContainsKey).ToList();
            if (routes.Count == 0)
            {
                continue;
            }

            checkedRows++;
            foreach (var kind in KindsIn(entry.Text, statuses))
            {
                // A row of several routes names a kind for one of them at least; a row of one, for that one.
                var declaredBy = routes.Where(route => operations[route].Kinds.TryGetValue(kind, out var status) && status == statuses[kind]).ToList();
                if (declaredBy.Count == 0 && !routes.Any(route => NamedButNotAnswered.Contains((route, kind))))
                {
                    wrong.Add($"{string.Join(", ", routes)}: the docs name `{kind}` ({statuses[kind]}), the document does not");
                }
            }
        }

        Assert.True(checkedRows >= 120, $"only {checkedRows} docs entries about a route found");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Each_kind_the_document_names_for_an_operation_is_named_for_that_route_in_the_docs()
    {
        var operations = await OperationsAsync();
        var statuses = KindStatuses(Docs.Texts);
        var named = new Dictionary<string, HashSet<string>>();
        foreach (var entry in Docs.Texts.SelectMany(Entries))
        {
            foreach (var route in entry.Mentions)
            {
                if (!named.TryGetValue(route, out var kinds))
                {
                    named[route] = kinds = [];
                }

                kinds.UnionWith(KindsIn(entry.MentionText, statuses));
            }
        }

        var documented = new HashSet<string>(named.Keys);
        var undocumented = operations.Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal) && !documented.Contains(o.Route)).Select(o => o.Route).ToList();
        Assert.True(undocumented.Count <= 2, $"routes the docs never name: {string.Join(", ", undocumented)}");

        var wrong = new List<string>();
        foreach (var operation in operations)
        {
            foreach (var kind in operation.Kinds.Keys)
            {
                if (!StatedForMany(operation, kind) && named.GetValueOrDefault(operation.Route)?.Contains(kind) != true)
                {
                    wrong.Add($"{operation.Route}: the document names `{kind}`, the docs do not for this route");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>The rules the docs state once for many routes, each with the sentence that states it.</summary>
    private static bool StatedForMany(Operation operation, string kind)
    {
        bool Stated(string words) =>
            Docs.Texts.Any(text => text.Contains(words, StringComparison.Ordinal)) ? true
                : throw new Xunit.Sdk.XunitException($"the docs no longer say \"{words}\" (the rule for `{kind}`)");

        var portal = operation.Path.StartsWith("/api/v1/portal/", StringComparison.Ordinal);
        var staff = operation.Path.StartsWith("/api/v1/admin/", StringComparison.Ordinal) || operation.Path.StartsWith("/api/v1/staff/", StringComparison.Ordinal);
        return kind switch
        {
            "validation" => Stated("bad field values") && Stated("A query or route value that does not bind"),
            "unauthenticated" => Stated("no session, expired session, wrong credentials"),
            "tenant-mismatch" => Stated("`?name=` disagrees with the session's tenant (portal and staff routes alike)"),
            "not-found" => Stated("missing id, another tenant's or another client's id, a malformed id"),
            "portal-disabled" => portal && Stated("the business switched its portal off (all portal routes but `business`)"),
            "forbidden" => (staff && Stated("a practitioner reads the diary only → `forbidden`"))
                || (portal && operation.Kinds.ContainsKey("unauthenticated") && Stated("Every other signed-in portal route")),
            "unsupported-media-type" => operation.HasBody && Stated("JSON endpoints accept only `application/json` (else 415)"),
            "content-too-large" => operation.HasBody && Stated("413 `content-too-large` with its own limit"),
            "changed-meanwhile" => operation.Method != "GET" && Stated("a change met five concurrent changes of the same row"),
            _ => false,
        };
    }

    /// <summary>Kinds with their status: API.md's table rows and api-additions' "- `kind` (status" lines.</summary>
    private static Dictionary<string, string> KindStatuses(IEnumerable<string> texts)
    {
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (Match m in KindDefinition().Matches(text))
            {
                statuses[m.Groups["kind"].Value] = m.Groups["status"].Value;
            }
        }

        return statuses;
    }

    private static IEnumerable<string> KindsIn(string text, Dictionary<string, string> statuses) =>
        Backticked().Matches(text).Select(m => m.Groups[1].Value).Where(statuses.ContainsKey).Distinct();

    /// <summary>
    /// A table row (its routes: those of its first cell; its text: the other cells) or a list item with its continued
    /// lines (a kind's definition, "- `kind` (409): `POST …` …", answers for the routes of its first sentence).
    /// Mentions: every route named anywhere in the entry.
    /// </summary>
    private static IEnumerable<Entry> Entries(string text)
    {
        var bullet = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimStart();
            if (line.StartsWith('|'))
            {
                foreach (var entry in Bullet(bullet))
                {
                    yield return entry;
                }

                var cells = CellSeparator().Split(line).Skip(1).SkipLast(1).Select(c => c.Trim()).ToArray();
                if (cells.Length > 1 && !cells[0].All(c => c is '-' or ':' or ' '))
                {
                    var what = string.Join(" | ", cells.Skip(1));
                    yield return new Entry(RoutesIn(cells[0]), what, [.. RoutesIn(cells[0]), .. RoutesIn(what)], what);
                }
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                foreach (var entry in Bullet(bullet))
                {
                    yield return entry;
                }

                bullet.Add(line);
            }
            else if (raw.StartsWith("  ", StringComparison.Ordinal) && bullet.Count > 0 && line.Length > 0)
            {
                bullet.Add(line);
            }
            else
            {
                foreach (var entry in Bullet(bullet))
                {
                    yield return entry;
                }
            }
        }

        foreach (var entry in Bullet(bullet))
        {
            yield return entry;
        }
    }

    private static IEnumerable<Entry> Bullet(List<string> lines)
    {
        if (lines.Count == 0)
        {
            yield break;
        }

        var text = string.Join(' ', lines);
        lines.Clear();
        var definition = DefinitionHead().Match(text);
        var routes = definition.Success ? RoutesIn(FirstSentence().Match(text[definition.Length..]).Value) : [];
        yield return new Entry(routes, definition.Success ? $"`{definition.Groups["kind"].Value}`" : text, RoutesIn(text), text);
    }

    /// <summary>"`GET`/`PUT /api/v1/x/{id}`", "`…/decline`" (the last route's path with its tail replaced), "`POST …/{id}/approve`".</summary>
    private static List<string> RoutesIn(string text)
    {
        var routes = new List<string>();
        string? last = null;
        foreach (Match m in RouteMention().Matches(text))
        {
            var methods = m.Groups["methods"].Captures.Select(c => c.Value).Concat(m.Groups["method"].Success ? [m.Groups["method"].Value] : []).ToList();
            var path = m.Groups["path"].Value;
            if (path.StartsWith('…'))
            {
                if (last is null)
                {
                    continue;
                }

                var tail = path[2..];
                var parts = last.Split('/').ToList();
                var at = parts.IndexOf(tail.Split('/')[0]);
                path = string.Join('/', parts.Take(at >= 0 ? at : parts.Count - 1)) + "/" + tail;
            }

            if (methods.Count == 0 && routes.Count > 0)
            {
                methods.Add(routes[^1].Split(' ')[0]);
            }

            last = path;
            routes.AddRange(methods.Select(method => $"{method} {path}"));
        }

        return routes;
    }

    private async Task<List<Operation>> OperationsAsync()
    {
        using var document = await OpenApiJson.FetchAsync(shared.App);
        var operations = new List<Operation>();
        foreach (var (method, path, operation) in document.Operations())
        {
            var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
            if (operation.TryGetProperty("responses", out var responses))
            {
                foreach (var response in responses.EnumerateObject())
                {
                    var description = response.Value.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "";
                    var listed = ProblemKindsList().Match(description);
                    foreach (Match kind in Backticked().Matches(listed.Success ? listed.Groups[1].Value : ""))
                    {
                        Assert.True(kinds.TryAdd(kind.Groups[1].Value, response.Name), $"{method} {path}: `{kind.Groups[1].Value}` under two statuses");
                    }
                }
            }

            operations.Add(new Operation(method.ToUpperInvariant(), path, kinds, operation.TryGetProperty("requestBody", out _)));
        }

        Assert.True(operations.Count >= 120, $"only {operations.Count} operations in the document");
        return operations;
    }

    [GeneratedRegex(@"^(?:\| `(?<kind>[a-z-]+)` \| (?<status>\d{3}) \||- `(?<kind>[a-z-]+)` \((?<status>\d{3})\b)", RegexOptions.Multiline)]
    private static partial Regex KindDefinition();

    [GeneratedRegex(@"^- `(?<kind>[a-z-]+)` \(\d{3}[^)]*\):")]
    private static partial Regex DefinitionHead();

    [GeneratedRegex(@"^.*?(?:\.\s|\z)", RegexOptions.Singleline)]
    private static partial Regex FirstSentence();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellSeparator();

    [GeneratedRegex(@"`([a-z][a-z-]*)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"problem kinds: ([^.]*)\.")]
    private static partial Regex ProblemKindsList();

    [GeneratedRegex(@"(?:`(?<methods>GET|POST|PUT|DELETE|PATCH)`/)*`(?:(?<method>GET|POST|PUT|DELETE|PATCH) )?(?<path>(?:/|…/)[^`?\s]*)[^`]*`")]
    private static partial Regex RouteMention();

    private sealed record Entry(List<string> Routes, string Text, List<string> Mentions, string MentionText);

    private sealed record Operation(string Method, string Path, Dictionary<string, string> Kinds, bool HasBody)
    {
        public string Route => $"{Method} {Path}";
    }

    /// <summary>
    /// API.md and api-additions.md. The contract is read-only and lives beside the repository (../shared/docs from the main
    /// checkout), which a clean clone elsewhere does not have, so the repository keeps a copy (docs/contract/API.md); where
    /// the shared file is present the copy must equal it, so a changed contract is noticed here rather than read stale.
    /// </summary>
    private static class Docs
    {
        public static readonly string[] Texts = Load();

        private static string[] Load()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Booking.sln")))
            {
                root = root.Parent;
            }

            Assert.NotNull(root);
            var additions = File.ReadAllText(Path.Combine(root.FullName, "docs", "api-additions.md"));
            var copy = File.ReadAllText(Path.Combine(root.FullName, "docs", "contract", "API.md"));
            for (var dir = root.Parent; dir is not null; dir = dir.Parent)
            {
                var contract = Path.Combine(dir.FullName, "shared", "docs", "API.md");
                if (File.Exists(contract) && File.ReadAllText(contract) != copy)
                {
                    throw new Xunit.Sdk.XunitException($"docs/contract/API.md differs from {contract}: copy the contract again");
                }
            }

            return [copy, additions];
        }
    }
}
