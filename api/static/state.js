// What the page holds between events: the chosen files, the gallery, the running job.

// Developer option: ?size=32 in the page's address is passed to the API as the output size.
export const DEV_SIZE = new URLSearchParams(location.search).get("size");

export const state = {
  photo: null, // File: a photo or a clip
  clip: false, // the file may be a clip (a video file or a GIF): the result may be an MP4
  photoUrl: null,
  ownStyle: null, // File
  ownStyleUrl: null,
  styles: [],
  categories: [],
  category: "", // "" = all
  visible: null, // Set of slugs from a search, or null
  searchNote: null, // [text, vars]
  job: null,
  events: null, // the job's EventSource
  ranked: null, // suggestions for the current photo, best first, or null
};

export function closeEvents() {
  if (state.events) state.events.close();
  state.events = null;
}
