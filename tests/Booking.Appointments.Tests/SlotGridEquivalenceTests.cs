using Booking.Appointments.Domain;
using NodaTime;
using NodaTime.TimeZones;

namespace Booking.Appointments.Tests;

/// <summary>
/// The slot grid maps a block's local times by arithmetic when no offset change falls inside the block. This checks,
/// for every day of two years in zones with gaps and overlaps (and one where the change is at midnight or half an
/// hour), that the result equals mapping every grid time through the zone, as the rule is written.
/// </summary>
public sealed class SlotGridEquivalenceTests
{
    private static readonly ZoneLocalMappingResolver StartResolver = Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnForwardShifted);
    private static readonly ZoneLocalMappingResolver EndResolver = Resolvers.CreateMappingResolver(Resolvers.ReturnLater, Resolvers.ReturnForwardShifted);

    public static TheoryData<string> Zones => new() { "Australia/Sydney", "Europe/London", "America/Chicago", "Australia/Lord_Howe", "America/Santiago", "UTC" };

    [Theory]
    [MemberData(nameof(Zones))]
    public void Every_day_of_two_years_gives_the_grid_of_the_zone_by_zone_mapping(string zoneId)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var rules = new SlotRules(zone, new LocalDateTime(2026, 1, 1, 0, 0).InZoneLeniently(zone).ToInstant(), 15, 0, 800, Duration.FromMinutes(30), Duration.Zero);
        OnlineBlock[][] rosters =
        [
            [new(new LocalTime(0, 0), new LocalTime(23, 45))],
            [new(new LocalTime(1, 0), new LocalTime(4, 0))],
            [new(new LocalTime(9, 0), new LocalTime(12, 0)), new(new LocalTime(13, 0), new LocalTime(17, 30))],
        ];
        var checkedDays = 0;
        for (var date = new LocalDate(2026, 1, 1); date < new LocalDate(2028, 1, 1); date = date.PlusDays(1))
        {
            foreach (var blocks in rosters)
            {
                Assert.Equal(Reference(rules, date, blocks), SlotMaths.Candidates(rules, date, blocks));
                checkedDays++;
            }
        }

        Assert.Equal(730 * 3, checkedDays);
    }

    /// <summary>The rule as written: every grid time through the zone's mapping (a gap has none, an overlap both).</summary>
    private static List<Instant> Reference(SlotRules rules, LocalDate date, IReadOnlyList<OnlineBlock> blocks)
    {
        var result = new SortedSet<Instant>();
        foreach (var block in blocks)
        {
            var blockStart = rules.Zone.ResolveLocal(date.At(block.Start), StartResolver).ToInstant();
            var blockEnd = rules.Zone.ResolveLocal(date.At(block.End), EndResolver).ToInstant();
            for (var t = block.Start; t < block.End && t >= block.Start; t = t.PlusMinutes(rules.SlotIntervalMinutes))
            {
                var mapping = rules.Zone.MapLocal(date.At(t));
                foreach (var start in mapping.Count switch { 0 => [], 1 => new[] { mapping.First() }, _ => [mapping.First(), mapping.Last()] })
                {
                    var instant = start.ToInstant();
                    if (instant >= blockStart && instant + rules.ServiceDuration <= blockEnd && instant >= rules.Now)
                    {
                        result.Add(instant);
                    }
                }
            }
        }

        return result.ToList();
    }
}
