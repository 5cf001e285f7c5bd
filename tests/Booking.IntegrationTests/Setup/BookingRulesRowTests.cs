using System.Net.Http.Json;
using Booking.BuildingBlocks.Caching;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Booking.IntegrationTests.Infrastructure;
using Booking.Roster.Data;
using Booking.Roster.Features.OnlineHours;
using Booking.Roster.Features.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Caching.Memory;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// The booking rules are one row per business (keyed by the tenant). EF's "The query uses the 'First'/'FirstOrDefault'
/// operator without 'OrderBy' and filter operators" was reported for the roster snapshot's read of it: the row is asked
/// by its key now (<see cref="RosterDbContext.BusinessRules"/>), in the snapshot and the rules' save. A context
/// configured as the app's, but with that warning thrown, reads and saves the rules as before.
/// </summary>
public sealed class BookingRulesRowTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private RosterDbContext StrictContext(TenantContext tenant)
    {
        var options = new DbContextOptionsBuilder<RosterDbContext>();
        ModuleDb.Configure(options, TenantConnectionInterceptor.PoolFor(App.Database.AppConnectionString), RosterDbContext.SchemaName)
            .AddInterceptors(TenantConnectionInterceptor.Instance)
            .ConfigureWarnings(w => w.Throw(CoreEventId.FirstWithoutOrderByAndFilterWarning));
        var db = new RosterDbContext(options.Options);
        db.UseTenant(tenant);
        return db;
    }

    private static TenantContext TenantOf(TestBusiness biz)
    {
        var tenant = new TenantContext();
        tenant.Set(new TenantInfo(biz.Id, biz.Slug, biz.Slug, "Australia/Sydney", "AU", "AUD", true));
        return tenant;
    }

    [Fact]
    public async Task The_snapshot_and_the_save_ask_for_the_business_s_rules_row_by_its_key_and_read_the_same_rules()
    {
        var saved = await App.SignUpBusinessAsync("rules-row");
        var fresh = await App.SignUpBusinessAsync("rules-row-none");
        (await saved.Owner.PutAsJsonAsync("/api/v1/admin/booking-rules", new { slotIntervalMinutes = 30, minimumNoticeMinutes = 120, horizonDays = 90 }))
            .EnsureSuccessStatusCode();

        var tenant = TenantOf(saved);
        await using (var db = StrictContext(tenant))
        {
            var rules = (await new RosterReader(db, tenant, new ReferenceDataCache(new MemoryCache(new MemoryCacheOptions())), TimeProvider.System).GetAsync(default)).Rules;
            Assert.Equal((30, 120, 90), (rules.SlotIntervalMinutes, rules.MinimumNoticeMinutes, rules.HorizonDays));
        }

        // A business that never saved its rules has the defaults: no row, not another business's.
        var freshTenant = TenantOf(fresh);
        await using (var db = StrictContext(freshTenant))
        {
            var rules = (await new RosterReader(db, freshTenant, new ReferenceDataCache(new MemoryCache(new MemoryCacheOptions())), TimeProvider.System).GetAsync(default)).Rules;
            Assert.Equal((15, 60, 60), (rules.SlotIntervalMinutes, rules.MinimumNoticeMinutes, rules.HorizonDays));
        }

        // The warning is EF's when the statement has neither filter nor order: the tenant filter gave the old read a
        // filter, so it is the read's own now, and holds without that filter too (a context like this one throws it).
        await using (var db = StrictContext(tenant))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.BookingRules.IgnoreQueryFilters().FirstOrDefaultAsync());
            Assert.Equal(30, (await db.BusinessRules.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync())?.SlotIntervalMinutes);
        }

        // The save finds the saved row (changes it, no second row).
        await using (var db = StrictContext(tenant))
        {
            var changed = await new UpdateBookingRulesHandler(db, TimeProvider.System).Handle(new UpdateBookingRules(20, 30, 45), default);
            Assert.Equal(20, changed.SlotIntervalMinutes);
        }

        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from roster.booking_rules where tenant_id = @t", ("t", saved.Id)));
        Assert.Equal(20, await Sql.AdminScalarAsync<int>(App.Database.Database, "select slot_interval_minutes from roster.booking_rules where tenant_id = @t", ("t", saved.Id)));
    }
}
