// Public face of the one waiting-list engine.
export { joinSlotWaitlist, leaveWaitlist, entriesToNotify, fulfilSlotEntries, lapsePastEntries, listPersonSlotEntries } from "./slots.server";
