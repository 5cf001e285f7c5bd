using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.BuildingBlocks.Data;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Staff client search ignores accents and case, both ways round ("Zoe" finds Zoë, "Zoë" finds Zoe, "muller" finds
/// Müller), and spacing and punctuation ("obrien" finds O'Brien, "mary jane" finds Mary-Jane), through the stored search column (migration <c>ClientSearch</c>: <c>lower(portalauth.f_unaccent(…))</c>),
/// in the API, on the clients list and in New appointment's client search; email and mobile still match; another
/// business's clients never do; and the query reads one business's clients in list order through the name index,
/// with no unaccent call per row.
/// </summary>
public sealed class ClientSearchTests(SharedApp shared, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<JsonElement> AddAsync(TestBusiness biz, string firstName, string lastName, string? email, string? mobile) =>
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName, lastName, email, mobile })).JsonAsync(HttpStatusCode.Created);

    private static async Task<List<string>> NamesAsync(TestBusiness biz, string search)
    {
        var page = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?search=" + Uri.EscapeDataString(search), UriKind.Relative)))
            .JsonAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
    }

    private static string Email() => $"c-{Guid.NewGuid():N}@client.example";

    private static string Mobile() => "0412 " + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Search_ignores_accents_and_case_both_ways_still_finds_email_and_mobile_and_never_another_businesss_client()
    {
        var biz = await App.SignUpBusinessAsync("search");
        var other = await App.SignUpBusinessAsync("search");
        var zoeEmail = Email();
        var zoeMobile = Mobile();
        await AddAsync(biz, "Zoë", "Müller", zoeEmail, zoeMobile);
        await AddAsync(biz, "Zoe", "Adams", Email(), null);
        await AddAsync(biz, "José", "Núñez", null, Mobile());
        await AddAsync(biz, "Jose", "Ortiz", Email(), null);
        await AddAsync(other, "Zoë", "Elsewhere", Email(), null);
        await AddAsync(other, "Zoe", "Muller", Email(), null);

        // Unaccented finds accented and the other way round, in any case; by last name (Adams before Müller).
        foreach (var search in new[] { "Zoe", "zoë", "ZOË", "Zoë" })
        {
            Assert.Equal(["Zoe Adams", "Zoë Müller"], await NamesAsync(biz, search));
        }

        foreach (var search in new[] { "Jose", "JOSÉ", "josé" })
        {
            Assert.Equal(["José Núñez", "Jose Ortiz"], await NamesAsync(biz, search));
        }

        Assert.Equal(["Zoë Müller"], await NamesAsync(biz, "muller"));
        Assert.Equal(["Zoë Müller"], await NamesAsync(biz, "MÜLLER"));
        Assert.Equal(["José Núñez"], await NamesAsync(biz, "nunez"));
        // A whole name, either way round, with spaces typed twice; an accent typed as a combining mark (NFD) too.
        Assert.Equal(["Zoë Müller"], await NamesAsync(biz, "zoe muller"));
        Assert.Equal(["Zoë Müller"], await NamesAsync(biz, "Muller  Zoe"));
        Assert.Equal(["Zoë Müller"], await NamesAsync(biz, "Zoe\u0308 Mu\u0308ller"));
        // The search never spans the name and the email.
        Assert.Empty(await NamesAsync(biz, "Zoe Adams c-"));

        // Email and mobile still match as before: the email in capitals, the mobile as the business writes it.
        Assert.Equal(["Zoë Müller"], await NamesAsync(biz, zoeEmail.ToUpperInvariant()));
        Assert.Equal(["Zoë Müller"], await NamesAsync(biz, zoeMobile));
        Assert.Equal(["Zoë Müller"], await NamesAsync(biz, zoeMobile[^6..]));
        Assert.Empty(await NamesAsync(biz, "%"));

        // Another business's Zoë, Zoe Muller and Elsewhere are never found.
        Assert.Empty(await NamesAsync(biz, "elsewhere"));
        Assert.Equal(["Zoe Muller", "Zoë Elsewhere"], (await NamesAsync(other, "zoe")).Order(StringComparer.Ordinal));

        // The clients list and New appointment's client search are the same search.
        var list = await biz.Owner.PageAsync("/staff/clients?search=" + Uri.EscapeDataString("zoe"));
        Assert.Equal(["Zoe Adams", "Zoë Müller"], list.All("tbody tr td:first-child a").Select(a => a.TextContent).ToList());
        var book = await biz.Owner.PageAsync("/staff/diary/book?search=" + Uri.EscapeDataString("MULLER"));
        Assert.Equal(HttpStatusCode.OK, book.Status);
        var offered = book.All("input[name='Input.ClientId'] + label").Select(l => l.ChildNodes[0].TextContent.Trim()).ToList();
        Assert.Equal(["Zoë Müller"], offered);
    }

    /// <summary>
    /// The search folds spacing and punctuation as the duplicate hint does (one rule, <c>PortalAuthDbContext.FoldSql</c>):
    /// receptionists type names without apostrophes and hyphens.
    /// </summary>
    [Fact]
    public async Task Search_ignores_apostrophes_hyphens_dots_and_spacing_as_the_duplicate_hint_does()
    {
        var biz = await App.SignUpBusinessAsync("search-marks");
        var siobhanEmail = $"siobhan.o-brien-{Guid.NewGuid():N}@client.example";
        await AddAsync(biz, "Siobhan", "O'Brien", siobhanEmail, null);
        await AddAsync(biz, "Mary-Jane", "O\u2019Neill", Email(), null);
        await AddAsync(biz, "Tom", "St. John", Email(), null);
        await AddAsync(biz, "Brien", "Other", Email(), null);

        foreach (var search in new[] { "obrien", "o brien", "O'Brien", "o\u2019brien", "Siobhan OBrien", "OBrien Siobhan", "siobhan o-brien" })
        {
            Assert.Equal(["Siobhan O'Brien"], await NamesAsync(biz, search));
        }

        foreach (var search in new[] { "oneill", "O'Neill", "mary jane", "maryjane", "Mary-Jane", "Mary Jane O Neill", "mary\u2013jane" })
        {
            Assert.Equal(["Mary-Jane O\u2019Neill"], await NamesAsync(biz, search));
        }

        Assert.Equal(["Tom St. John"], await NamesAsync(biz, "st john"));
        Assert.Equal(["Tom St. John"], await NamesAsync(biz, "Stjohn"));
        // "brien" is in both; the email still matches, as typed or without its punctuation.
        Assert.Equal(["Siobhan O'Brien", "Brien Other"], await NamesAsync(biz, "brien"));
        Assert.Equal(["Siobhan O'Brien"], await NamesAsync(biz, siobhanEmail));
        Assert.Equal(["Siobhan O'Brien"], await NamesAsync(biz, siobhanEmail.ToUpperInvariant()));
        // Only punctuation folds to nothing: no name is found by it, and not every client either.
        Assert.Empty(await NamesAsync(biz, "'"));
        Assert.Empty(await NamesAsync(biz, " - "));
    }

    [Fact]
    public async Task The_search_reads_only_the_businesss_rows_by_index_with_no_unaccent_per_row_and_the_plain_list_reads_in_name_order()
    {
        var biz = await App.SignUpBusinessAsync("search-plan");
        var other = await App.SignUpBusinessAsync("search-plan");
        var database = biz.Database ?? App.Database.Database;
        // Three thousand clients here and thirty thousand at another business, written as the app role (row security
        // checks the tenant of every row): a table where reading it all costs more than reading one business.
        foreach (var (tenant, count) in new[] { (biz.Id, 3_000), (other.Id, 30_000) })
        {
            await Sql.ExecAsync(App.Database.AppConnectionString, $"""
                SELECT set_config('{TenantConnectionInterceptor.Setting}', @t, false);
                INSERT INTO portalauth.clients (tenant_id, id, first_name, last_name, email, mobile, mobile_verified, status, created_at, awaiting_first_request)
                SELECT @t::uuid, gen_random_uuid(),
                       (ARRAY['Zoë', 'Zoe', 'José', 'Anna', 'Björn'])[1 + g % 5] || g,
                       (ARRAY['Müller', 'Smith', 'García', 'Nguyen', 'Lee'])[1 + g % 5] || g,
                       'bulk-' || g || '-' || md5(@t || g) || '@client.example', NULL, false, 'active', now(), false
                  FROM generate_series(1, {count}) AS g;
                """, ("t", tenant.ToString()));
        }

        await Sql.AdminExecAsync(database, "ANALYZE portalauth.clients");

        using var recorder = new SqlRecorder(App.Services.GetRequiredService<IHttpContextAccessor>());
        foreach (var (label, query) in new[] { ("rare", "?search=zzq%20nobody"), ("common", "?search=muller"), ("none", "") })
        {
            await recorder.RecordAsync(biz.Owner, "search-plan-" + label,
                http => http.GetAsync(new Uri("/api/v1/admin/clients" + query, UriKind.Relative)), HttpStatusCode.OK);
            biz.Owner.DefaultRequestHeaders.Remove("X-Record-Sql");
            // The page's query (not the fold of the search text, not the pets' split query).
            var page = recorder.Commands("search-plan-" + label).Single(c => c.Text.Contains("FROM portalauth.clients", StringComparison.Ordinal)
                && c.Text.Contains("LIMIT", StringComparison.Ordinal) && !c.Text.Contains("portalauth.pets", StringComparison.Ordinal));
            var plan = await App.ExplainAsAppAsync(biz.Id, page);
            output.WriteLine($"{label}:\n{page.Text}\n{plan}\n");
            // One business's rows through an index on tenant_id, never the whole table; the stored column is tested,
            // unaccent is not called per row. (Under row security PostgreSQL uses no index for the LIKE itself: an index
            // condition there must be leakproof, and LIKE is not; nor does it use the column's statistics for it, so it
            // takes any search for a rare one and reads the business's rows by the primary key.)
            Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), $"{label}: {plan}");
            Assert.False(plan.Contains("unaccent", StringComparison.Ordinal), $"{label}: {plan}");
            Assert.Contains("Index Cond: (tenant_id = ", plan, StringComparison.Ordinal);
            if (label == "none")
            {
                // No search: the first page read in list order from the name index, no sort of the business's clients.
                Assert.True(plan.Contains(Booking.PortalAuth.Data.PortalAuthDbContext.ClientNameOrderIndex, StringComparison.Ordinal), $"{label}: {plan}");
                Assert.False(plan.Contains("Sort", StringComparison.Ordinal), $"{label}: {plan}");
            }
            else
            {
                Assert.Contains("Filter: (search_text ~~ ", plan, StringComparison.Ordinal);
            }
        }

        // 600 of them are Müllers: a full first page of 50, every one a Müller.
        var mullers = await NamesAsync(biz, "muller");
        Assert.Equal(50, mullers.Count);
        Assert.All(mullers, name => Assert.Contains(" Müller", name, StringComparison.Ordinal));
        Assert.Empty(await NamesAsync(biz, "zzq nobody"));
    }
}
