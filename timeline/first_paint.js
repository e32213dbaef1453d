// Reports the first paint of a session (see timeline/first_paint.py): once every selector chain in
// data.wait_for matches (a chain descends through same-origin iframes: all but its last selector
// pick an iframe), or once data.patience_ms have passed, it sets the "painted" trigger to
// {drawn, waited_ms}, which reruns the app with the rest of the page.
export default function (component) {
  const { data, setTriggerValue } = component;
  const started = performance.now();
  let timer = null;

  const find = (chain) => {
    let root = document;
    for (let i = 0; i < chain.length; i += 1) {
      const element = root.querySelector(chain[i]);
      if (element === null || i === chain.length - 1) {
        return element;
      }
      root = element.contentDocument;
      if (!root) {
        return null; // not a frame, or one without a document yet
      }
    }
    return null;
  };

  const seen = (chain) => {
    try {
      return find(chain) !== null;
    } catch (error) {
      return false; // a bad selector: wait out the patience, then report
    }
  };

  const check = () => {
    const drawn = data.wait_for.every(seen);
    const waited = performance.now() - started;
    if (drawn || waited > data.patience_ms) {
      setTriggerValue("painted", { drawn, waited_ms: Math.round(waited) });
    } else {
      timer = setTimeout(check, 50);
    }
  };

  check();
  return () => clearTimeout(timer);
}
