using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Microsoft.EntityFrameworkCore;

namespace Booking.Appointments.Tests;

/// <summary>The retry of a read-decide-save unit whose save met a concurrent change (the database side is in the integration tests).</summary>
public sealed class ConcurrentChangesTests
{
    private static AppointmentsDbContext Context() => new(ModuleDb.Options<AppointmentsDbContext>("Host=unused"));

    [Fact]
    public async Task A_unit_that_met_a_concurrent_change_runs_again_without_what_it_had_tracked()
    {
        await using var db = Context();
        var tracked = new List<int>();
        var runs = 0;

        var answer = await db.RetryOnConcurrentChangeAsync(() =>
        {
            runs++;
            tracked.Add(db.ChangeTracker.Entries().Count());
            db.Appointments.Add(new Appointment { Id = Guid.NewGuid(), Status = AppointmentStatus.Confirmed, Source = "portal" });
            return runs == 1 ? throw new DbUpdateConcurrencyException("changed") : Task.FromResult("saved");
        });

        Assert.Equal("saved", answer);
        Assert.Equal(2, runs);
        Assert.Equal([0, 0], tracked); // the first run's row was dropped before the second run
    }

    [Fact]
    public async Task A_unit_that_keeps_meeting_changes_is_answered_409_after_three_runs()
    {
        await using var db = Context();
        var runs = 0;

        var problem = await Assert.ThrowsAsync<ProblemException>(() => db.RetryOnConcurrentChangeAsync<string>(() =>
        {
            runs++;
            throw new DbUpdateConcurrencyException("changed");
        }));

        Assert.Equal(ConcurrentChanges.MaxTries, runs);
        Assert.Equal(409, problem.Status);
        Assert.Equal(ProblemKinds.ChangedMeanwhile, problem.Kind);
    }

    [Fact]
    public async Task Other_failures_are_not_retried()
    {
        await using var db = Context();
        var runs = 0;

        await Assert.ThrowsAsync<DbUpdateException>(() => db.RetryOnConcurrentChangeAsync<string>(() =>
        {
            runs++;
            throw new DbUpdateException("constraint");
        }));

        Assert.Equal(1, runs);
    }
}
