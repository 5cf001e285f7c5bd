using Booking.Appointments.Domain;
using NodaTime;

namespace Booking.Appointments.Tests;

/// <summary>
/// The day-before cut-off (decision 290): with it at 20:00, a date's times are offered only before 20:00 local the day
/// before, same-day times never; the earliest start is the later of the notice's end and the cut-off's first open date.
/// Local time in the business's zone, also on clock-change days (Europe/London, America/New_York).
/// </summary>
public sealed class SlotMathsDayBeforeCutoffTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly LocalTime Eight = new(20, 0);
    private static readonly LocalDate June2 = new(2026, 6, 2);
    private static readonly OnlineBlock[] NineToFive = [new(new LocalTime(9, 0), new LocalTime(17, 0))];

    private static SlotRules Rules(DateTimeZone zone, Instant now, int notice, LocalTime? cutoff) =>
        new(zone, now, 30, notice, 60, Duration.FromMinutes(30), Duration.Zero) { DayBeforeCutoff = cutoff };

    private static Instant Local(DateTimeZone zone, LocalDate date, int hour, int minute) =>
        date.At(new LocalTime(hour, minute)).InZoneStrictly(zone).ToInstant();

    private static LocalTime FirstStart(SlotRules rules, LocalDate date) =>
        SlotMaths.Candidates(rules, date, NineToFive)[0].InZone(rules.Zone).TimeOfDay;

    [Fact]
    public void Tomorrow_is_offered_before_the_cut_off_and_not_from_it_and_today_never()
    {
        var before = Rules(London, Local(London, June2, 19, 59), notice: 0, Eight);
        Assert.Empty(SlotMaths.Candidates(before, June2, NineToFive)); // same day: never online
        Assert.Equal(new LocalTime(9, 0), FirstStart(before, June2.PlusDays(1)));

        var at = Rules(London, Local(London, June2, 20, 0), notice: 0, Eight);
        Assert.Empty(SlotMaths.Candidates(at, June2.PlusDays(1), NineToFive));
        Assert.Equal(new LocalTime(9, 0), FirstStart(at, June2.PlusDays(2)));

        // Early in the morning, today still has its hours ahead, but the cut-off for today passed yesterday evening.
        var morning = Rules(London, Local(London, June2, 6, 0), notice: 0, Eight);
        Assert.Empty(SlotMaths.Candidates(morning, June2, NineToFive));
        Assert.False(SlotMaths.OpenAfterNotice(morning, new DiaryDay(Guid.Empty, June2, NineToFive)));
        Assert.True(SlotMaths.OpenAfterNotice(morning, new DiaryDay(Guid.Empty, June2.PlusDays(1), NineToFive)));
    }

    [Fact]
    public void Without_a_cut_off_today_is_offered_after_the_notice_as_before()
    {
        var rules = Rules(London, Local(London, June2, 6, 0), notice: 60, cutoff: null);
        Assert.Equal(new LocalTime(9, 0), FirstStart(rules, June2));
        Assert.Equal(Local(London, June2, 7, 0), rules.ClientEarliest);
    }

    [Fact]
    public void The_later_of_the_notice_and_the_cut_off_wins()
    {
        // Two days' notice ends after the cut-off's first open date: the notice decides (tomorrow closed, 10:00 in two days).
        var longNotice = Rules(London, Local(London, June2, 10, 0), notice: 2 * 24 * 60, Eight);
        Assert.Equal(Local(London, June2.PlusDays(2), 10, 0), longNotice.ClientEarliest);
        Assert.Empty(SlotMaths.Candidates(longNotice, June2.PlusDays(1), NineToFive));
        Assert.Equal(new LocalTime(10, 0), FirstStart(longNotice, June2.PlusDays(2)));

        // An hour's notice would allow tomorrow 00:30, but at 23:30 tomorrow's cut-off has passed: the cut-off decides.
        var lateNight = Rules(London, Local(London, June2, 23, 30), notice: 60, Eight);
        Assert.Equal(June2.PlusDays(2).AtStartOfDayInZone(London).ToInstant(), lateNight.ClientEarliest);
        Assert.Empty(SlotMaths.Candidates(lateNight, June2.PlusDays(1), NineToFive));
        Assert.Equal(new LocalTime(9, 0), FirstStart(lateNight, June2.PlusDays(2)));
    }

    [Fact]
    public void Staff_mode_ignores_the_cut_off_as_it_ignores_the_notice()
    {
        var staff = Rules(London, Local(London, June2, 6, 0), notice: 60, Eight) with { ForStaff = true };
        Assert.Equal(new LocalTime(9, 0), FirstStart(staff, June2));
    }

    [Fact]
    public void London_the_cut_off_is_the_local_clock_on_either_side_of_a_clock_change()
    {
        // 29 March 2026: clocks go 01:00 GMT → 02:00 BST. Bookings for the 29th close at 20:00 GMT on the 28th (20:00
        // UTC), bookings for the 30th at 20:00 BST on the 29th (19:00 UTC), not 24 hours later.
        var march29 = new LocalDate(2026, 3, 29);
        Assert.Equal(Instant.FromUtc(2026, 3, 28, 20, 0), DayBeforeCutoff.Closes(Eight, London, march29));
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 19, 0), DayBeforeCutoff.Closes(Eight, London, march29.PlusDays(1)));

        Assert.NotEmpty(SlotMaths.Candidates(Rules(London, Instant.FromUtc(2026, 3, 29, 18, 59), 0, Eight), march29.PlusDays(1), NineToFive));
        Assert.Empty(SlotMaths.Candidates(Rules(London, Instant.FromUtc(2026, 3, 29, 19, 0), 0, Eight), march29.PlusDays(1), NineToFive));
        Assert.Equal(new LocalTime(9, 0), FirstStart(Rules(London, Instant.FromUtc(2026, 3, 28, 19, 59), 0, Eight), march29));
        Assert.Empty(SlotMaths.Candidates(Rules(London, Instant.FromUtc(2026, 3, 28, 20, 0), 0, Eight), march29, NineToFive));
    }

    [Fact]
    public void London_a_cut_off_the_clocks_skip_closes_after_the_jump_and_one_they_repeat_at_its_first_pass()
    {
        var halfPastOne = new LocalTime(1, 30);
        // 01:30 on 29 March does not exist: resolved leniently, forward by the gap, to 02:30 BST (01:30 UTC).
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 1, 30), DayBeforeCutoff.Closes(halfPastOne, London, new LocalDate(2026, 3, 30)));
        // 01:30 on 25 October happens twice (BST, then GMT): bookings close the first time the clock reads it.
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 0, 30), DayBeforeCutoff.Closes(halfPastOne, London, new LocalDate(2026, 10, 26)));
        Assert.Equal(new LocalDate(2026, 10, 26), DayBeforeCutoff.FirstOpenDate(halfPastOne, London, Instant.FromUtc(2026, 10, 25, 0, 29)));
        Assert.Equal(new LocalDate(2026, 10, 27), DayBeforeCutoff.FirstOpenDate(halfPastOne, London, Instant.FromUtc(2026, 10, 25, 0, 30)));
    }

    [Fact]
    public void New_York_the_cut_off_follows_the_clock_when_it_falls_back_and_springs_forward()
    {
        // 1 November 2026: clocks go 02:00 EDT → 01:00 EST. Bookings for the 2nd close at 20:00 EST on the 1st, 01:00 UTC
        // on the 2nd (at EDT's offset it would be an hour early).
        var november2 = new LocalDate(2026, 11, 2);
        Assert.Equal(Instant.FromUtc(2026, 11, 2, 1, 0), DayBeforeCutoff.Closes(Eight, NewYork, november2));
        Assert.Equal(new LocalTime(9, 0), FirstStart(Rules(NewYork, Instant.FromUtc(2026, 11, 2, 0, 30), 0, Eight), november2));
        Assert.Empty(SlotMaths.Candidates(Rules(NewYork, Instant.FromUtc(2026, 11, 2, 1, 0), 0, Eight), november2, NineToFive));

        // 8 March 2026: 02:00 EST → 03:00 EDT. Bookings for the 9th close at 20:00 EDT on the 8th, 00:00 UTC on the 9th.
        var march9 = new LocalDate(2026, 3, 9);
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 0, 0), DayBeforeCutoff.Closes(Eight, NewYork, march9));
        Assert.NotEmpty(SlotMaths.Candidates(Rules(NewYork, Instant.FromUtc(2026, 3, 8, 23, 59), 0, Eight), march9, NineToFive));
        Assert.Empty(SlotMaths.Candidates(Rules(NewYork, Instant.FromUtc(2026, 3, 9, 0, 0), 0, Eight), march9, NineToFive));
    }

    [Theory]
    [InlineData("20:00", 20, 0)]
    [InlineData("07:45", 7, 45)]
    public void The_rules_wire_time_reads_as_a_local_time(string text, int hour, int minute) =>
        Assert.Equal(new LocalTime(hour, minute), DayBeforeCutoff.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2000")]
    [InlineData("8pm")]
    public void Anything_else_is_no_cut_off(string? text) => Assert.Null(DayBeforeCutoff.Parse(text));
}
