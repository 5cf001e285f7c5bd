using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Clashes;
using Booking.Appointments.Features.PortalAppointments;
using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.BusyBlocks;

public sealed record CreateBusyBlock(Guid? DiaryId, DateTimeOffset? Start, DateTimeOffset? End, string? Note) : ICommand<BusyBlockView>;

public sealed class CreateBusyBlockValidator : AbstractValidator<CreateBusyBlock>
{
    public CreateBusyBlockValidator(TimeProvider clock)
    {
        RuleFor(x => x.DiaryId).NotNull().WithMessage("Choose a diary.");
        RuleFor(x => x.Start).NotNull().WithMessage("Give the start (ISO 8601 with offset).")
            .Must(s => StaffWindow.Allows(clock, s)).WithMessage(StaffWindow.StartMessage)
            .Must(WholeMinute.Allows).WithMessage(WholeMinute.StartMessage);
        // A far end is one message, not also "at most 31 days".
        RuleFor(x => x.End).Cascade(CascadeMode.Stop).NotNull().WithMessage("Give the end (ISO 8601 with offset).")
            .Must(e => StaffWindow.Allows(clock, e)).WithMessage(StaffWindow.EndMessage)
            .Must(WholeMinute.Allows).WithMessage(WholeMinute.EndMessage)
            // Each condition only on its own check (a When applies to every check before it by default): a missing
            // start must not hide a missing end.
            .GreaterThan(x => x.Start).When(x => x.Start is not null, ApplyConditionTo.CurrentValidator).WithMessage("End after the start.")
            .Must((x, end) => end - x.Start <= TimeSpan.FromDays(31)).When(x => x.Start is not null && x.End is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage("A busy block lasts at most 31 days.");
        RuleFor(x => x.Note).MaximumLength(2000).WithMessage("Use at most 2000 characters.").MultiLine();
    }
}

/// <summary>
/// Saves the block whatever it overlaps (staff may be clearing the time to move those clients by hand) and answers the
/// diary's live appointments it overlaps as <c>clashes</c>: none is cancelled or moved.
/// </summary>
public sealed class CreateBusyBlockHandler(AppointmentsDbContext db, ISender sender, Schedule schedule, ClashFinder clashes) : ICommandHandler<CreateBusyBlock, BusyBlockView>
{
    public async ValueTask<BusyBlockView> Handle(CreateBusyBlock command, CancellationToken cancellationToken)
    {
        if ((await sender.Send(new GetDiaries([command.DiaryId!.Value]), cancellationToken)).Count == 0)
        {
            throw ProblemException.Invalid("diaryId", "No such diary.");
        }

        var block = new BusyBlock
        {
            Id = Guid.CreateVersion7(),
            DiaryId = command.DiaryId.Value,
            StartAt = Instant.FromDateTimeOffset(command.Start!.Value),
            EndAt = Instant.FromDateTimeOffset(command.End!.Value),
            Note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim(),
            CreatedAt = schedule.Now,
        };
        db.BusyBlocks.Add(block);
        await db.SaveChangesAsync(cancellationToken);
        var overlapped = await clashes.LiveAsync(block.DiaryId, block.StartAt, block.EndAt, cancellationToken);
        return StaffViews.View(block, schedule) with { Clashes = await clashes.NameAsync(overlapped, cancellationToken) };
    }
}

/// <summary>One busy block (the <c>Location</c> a create answers); one of a diary the reader may not read is not found.</summary>
public sealed record GetBusyBlock(Guid Id) : IQuery<BusyBlockView>;

public sealed class GetBusyBlockHandler(AppointmentsDbContext db, Schedule schedule, ISender sender) : IQueryHandler<GetBusyBlock, BusyBlockView>
{
    public async ValueTask<BusyBlockView> Handle(GetBusyBlock query, CancellationToken cancellationToken)
    {
        var access = await sender.Send(new Booking.Tenancy.Contracts.GetDiaryAccess(), cancellationToken);
        var block = await db.BusyBlocks.AsNoTracking().FirstOrDefaultAsync(b => b.Id == query.Id, cancellationToken);
        return block is not null && access.Allows(block.DiaryId) ? StaffViews.View(block, schedule) : throw ProblemException.NotFound();
    }
}

public sealed record DeleteBusyBlock(Guid Id) : ICommand;

public sealed class DeleteBusyBlockHandler(AppointmentsDbContext db) : ICommandHandler<DeleteBusyBlock>
{
    public async ValueTask<Unit> Handle(DeleteBusyBlock command, CancellationToken cancellationToken)
    {
        var deleted = await db.BusyBlocks.Where(b => b.Id == command.Id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            throw ProblemException.NotFound();
        }

        await db.DropWorkedOutValuesAsync(); // its time is free: a business that was fully booked may not be
        return Unit.Value;
    }
}

public static class BusyBlocksEndpoints
{
    public static void MapBusyBlocks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/admin/busy-blocks", async (CreateBusyBlock command, ISender sender, CancellationToken ct) =>
            {
                var view = await sender.Send(command, ct);
                return Results.Created($"/api/v1/admin/busy-blocks/{view.Id}", view);
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("CreateBusyBlock")
            .WithTags("Staff")
            .Produces<BusyBlockView>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        app.MapGet("/api/v1/admin/busy-blocks/{id}", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetBusyBlock(PortalAppointmentsEndpoints.ParseId(id)), ct)))
            .RequireStaff()
            .WithName("GetBusyBlock")
            .WithTags("Staff")
            .Produces<BusyBlockView>();

        app.MapDelete("/api/v1/admin/busy-blocks/{id}", async (string id, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteBusyBlock(PortalAppointmentsEndpoints.ParseId(id)), ct);
                return Results.NoContent();
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("DeleteBusyBlock")
            .WithTags("Staff")
            .Produces(StatusCodes.Status204NoContent);
    }
}
